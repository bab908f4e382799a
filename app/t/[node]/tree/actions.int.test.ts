import { asc, eq, sql } from "drizzle-orm";
import { formData as form } from "@/lib/actions/test-support";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { auditEvents, nodes } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId } from "@/lib/access/test-support";
import type { ActionState } from "@/lib/actions/authorized-action";
import { getRequestContext } from "@/lib/auth/request-context";
import { archiveNodeAction, createNodeAction, moveNodeAction, renameNodeAction, restoreNodeAction, tagNodeAction } from "./actions";

// The server actions run as in a request: the signed-in principal comes from the mocked request context.
vi.mock("@/lib/auth/request-context", () => ({ getRequestContext: vi.fn() }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const OWNER = "ava.thompson@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const ACCOUNT_VIEWER = "grace.kim@northwind.example";
const CUSTOMER_VIEWER = "hannah.weber@adler-logistik.example";

let connection: DatabaseConnection;
let db: Database;

async function signIn(email: string) {
  const ctx = await contextFor(db, email);
  vi.mocked(getRequestContext).mockResolvedValue({ ...ctx, request: { address: "203.0.113.7", userAgent: "vitest" } } as never);
}

async function snapshot() {
  const tree = await db.select().from(nodes).orderBy(asc(nodes.id));
  const [changes] = await db.select({ n: sql<number>`count(*)::int` }).from(auditEvents).where(sql`${auditEvents.action} not like '%.denied'`);
  return { tree, changes: changes!.n };
}

async function denials(): Promise<string[]> {
  const rows = await db.select({ action: auditEvents.action }).from(auditEvents).where(sql`${auditEvents.action} like '%.denied'`).orderBy(asc(auditEvents.id));
  return rows.map((row) => row.action);
}

/** Runs an action as `email` and checks that it was refused with a message and wrote nothing but its denial. */
async function expectRefused(email: string, action: (state: ActionState, data: FormData) => Promise<ActionState>, fields: Record<string, string>, denial: string) {
  await signIn(email);
  const before = await snapshot();
  const deniedBefore = await denials();
  const result = await action({}, form(fields));
  expect(result.ok).toBeUndefined();
  expect(result.error).toMatch(/may not|No such node/);
  expect(await snapshot()).toEqual(before);
  expect(await denials()).toEqual([...deniedBefore, denial]);
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  await seedDemo(db, { password: "correct-horse-battery-staple" });
});

afterAll(async () => {
  await connection?.close();
});

describe("the tree's server actions", () => {
  it("refuse to create for a viewer, and for an OU admin outside their subtree", async () => {
    const regions = await nodeId(db, "regions");
    await expectRefused(ACCOUNT_VIEWER, createNodeAction, { parentId: regions, kind: "group", name: "Nope" }, "action.tenant.create.denied");
    const americas = await nodeId(db, "americas");
    await expectRefused(EMEA_ADMIN, createNodeAction, { parentId: americas, kind: "organization", name: "Nope" }, "action.tenant.create.denied");
  });

  it("refuse to rename or tag for a customer viewer", async () => {
    const adler = await nodeId(db, "adler-logistik");
    await expectRefused(CUSTOMER_VIEWER, renameNodeAction, { nodeId: adler, name: "Hijacked" }, "action.tenant.update.denied");
    await expectRefused(CUSTOMER_VIEWER, tagNodeAction, { nodeId: adler, tags: "owned:yes" }, "action.tenant.update.denied");
  });

  it("refuse to move for a viewer, and to move into another region for an OU admin", async () => {
    const adler = await nodeId(db, "adler-logistik");
    const smb = await nodeId(db, "emea-smb");
    await expectRefused(ACCOUNT_VIEWER, moveNodeAction, { nodeId: adler, newParentId: smb }, "action.tenant.move.denied");
    const americas = await nodeId(db, "americas");
    await expectRefused(EMEA_ADMIN, moveNodeAction, { nodeId: adler, newParentId: americas }, "node.move.denied");
  });

  it("refuse to archive or restore for a customer viewer", async () => {
    const adler = await nodeId(db, "adler-logistik");
    await expectRefused(CUSTOMER_VIEWER, archiveNodeAction, { nodeId: adler }, "action.tenant.delete.denied");
    await expectRefused(CUSTOMER_VIEWER, restoreNodeAction, { nodeId: adler }, "action.tenant.delete.denied");
  });

  it("return field errors next to the fields, writing nothing", async () => {
    await signIn(OWNER);
    const before = await snapshot();
    const result = await createNodeAction({}, form({ parentId: await nodeId(db, "regions"), kind: "group", name: "  ", tags: "not a tag" }));
    expect(result.fieldErrors?.name).toEqual(["Enter a name."]);
    expect(result.fieldErrors?.tags?.[0]).toMatch(/key:value/);
    expect(await snapshot()).toEqual(before);
  });

  it("create, rename, tag, move, archive and restore for the owner", async () => {
    await signIn(OWNER);
    const partners = await nodeId(db, "partners");
    expect(await createNodeAction({}, form({ parentId: partners, kind: "group", name: "Benelux", tags: "region:benelux, tier:smb" }))).toMatchObject({ ok: true, message: "Group Benelux created." });
    const [benelux] = await db.select().from(nodes).where(eq(nodes.name, "Benelux"));
    expect(benelux!.tags).toEqual(["region:benelux", "tier:smb"]);
    expect(await renameNodeAction({}, form({ nodeId: benelux!.id, name: "Benelux Partners" }))).toMatchObject({ ok: true });
    expect(await tagNodeAction({}, form({ nodeId: benelux!.id, tags: "" }))).toMatchObject({ ok: true, message: "Tags removed." });
    const emea = await nodeId(db, "emea");
    expect(await moveNodeAction({}, form({ nodeId: benelux!.id, newParentId: emea }))).toMatchObject({ ok: true, message: "Benelux Partners moved to EMEA." });
    expect(await archiveNodeAction({}, form({ nodeId: benelux!.id }))).toMatchObject({ ok: true });
    expect(await restoreNodeAction({}, form({ nodeId: benelux!.id }))).toMatchObject({ ok: true });
    const [after] = await db.select().from(nodes).where(eq(nodes.id, benelux!.id));
    expect(after).toMatchObject({ name: "Benelux Partners", tags: [], parentId: emea, status: "active" });
  });
});
