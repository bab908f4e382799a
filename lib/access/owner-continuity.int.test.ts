import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { roleAssignments } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { DomainError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/service-context";
import { changeAssignment, countPermanentOwners, revokeAssignment } from "./service";
import { assignmentId, builtinRoleId, contextFor, nodeId, principalId } from "./test-support";

// On a PostgreSQL server (TEST_DATABASE_URL) the two calls of each pair run on separate connections
// at the same time; embedded, they interleave on one connection.

const OWNERS = ["ava.thompson@northwind.example", "liam.carter@northwind.example"] as const;
const PAIRS = 24;

let connection: DatabaseConnection;

beforeAll(async () => {
  connection = await createTestDatabase();
  await seedDemo(connection.db, { password: "test-password-123" });
});
afterAll(async () => connection?.close());

/** Puts both owners back as permanent Owners of the account. */
async function restoreTwoOwners(accountNodeId: string, ownerRoleId: string) {
  for (const email of OWNERS) {
    const principal = await principalId(connection.db, email);
    await connection.db
      .insert(roleAssignments)
      .values({ accountId: accountNodeId, principalId: principal, nodeId: accountNodeId, roleId: ownerRoleId })
      .onConflictDoUpdate({ target: [roleAssignments.principalId, roleAssignments.nodeId], set: { roleId: ownerRoleId, expiresAt: null } });
  }
}

describe("owner continuity under concurrency (rule 6)", () => {
  it(`leaves at least one Owner after ${PAIRS} concurrent pairs of owners removing or demoting each other`, async () => {
    const db = connection.db;
    const account = await nodeId(db, "northwind");
    const [ownerRole, viewerRole] = [await builtinRoleId(db, "owner"), await builtinRoleId(db, "viewer")];
    const outcomes = { succeeded: 0, refusedByRule6: 0 };

    for (let pair = 0; pair < PAIRS; pair++) {
      await restoreTwoOwners(account, ownerRole);
      expect(await countPermanentOwners(db, { id: account, accountId: account })).toBe(2);
      const first = await contextFor(db, OWNERS[0]);
      const second = await contextFor(db, OWNERS[1]);
      const theirs = await Promise.all([assignmentId(db, OWNERS[1], "northwind"), assignmentId(db, OWNERS[0], "northwind")]);
      // Each owner acts on the other at the same moment: alternately removing and demoting.
      const act = (ctx: ServiceContext, target: string) =>
        pair % 2 === 0 ? revokeAssignment(ctx, { assignmentId: target }) : changeAssignment(ctx, { assignmentId: target, roleId: viewerRole });
      const results = await Promise.allSettled([act(first, theirs[0]), act(second, theirs[1])]);

      expect(await countPermanentOwners(db, { id: account, accountId: account })).toBe(1);
      for (const result of results) {
        if (result.status === "fulfilled") outcomes.succeeded++;
        else if (result.reason instanceof DomainError && result.reason.details.rule === 6) outcomes.refusedByRule6++;
        else throw result.reason;
      }
    }
    expect(outcomes).toEqual({ succeeded: PAIRS, refusedByRule6: PAIRS });

    const owners = await db
      .select({ id: roleAssignments.id })
      .from(roleAssignments)
      .where(and(eq(roleAssignments.nodeId, account), eq(roleAssignments.roleId, ownerRole)));
    expect(owners).toHaveLength(1);
  });
});
