import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId, writeCounts } from "@/lib/access/test-support";
import { renameNode } from "@/lib/tenants/service";
import { DomainError } from "@/lib/errors";
import { auditEventsCsv, listAuditEvents } from "./read";

let connection: DatabaseConnection;
const db = () => connection.db;
const OWNER = "ava.thompson@northwind.example";
const EMEA_ADMIN = "emma.schulz@northwind.example";
const CUSTOMER_VIEWER = "hannah.weber@adler-logistik.example";

beforeAll(async () => {
  connection = await createTestDatabase();
  await seedDemo(connection.db, { password: "test-password-123" });
  const owner = await contextFor(db(), OWNER);
  await renameNode(owner, { nodeId: await nodeId(db(), "adler-logistik"), name: "Adler Logistik GmbH" });
  await renameNode(owner, { nodeId: await nodeId(db(), "pioneer-rail"), name: "Pioneer Rail, Inc." });
  await renameNode(owner, { nodeId: await nodeId(db(), "pioneer-rail"), name: "Pioneer Rail \"=cmd\"" });
});
afterAll(async () => connection?.close());

describe("the audit log", () => {
  it("shows an OU admin the events of their subtree only", async () => {
    const { rows } = await listAuditEvents(await contextFor(db(), EMEA_ADMIN), { nodeId: await nodeId(db(), "emea") });
    expect(rows.map((row) => row.nodeName)).toContain("Adler Logistik GmbH");
    expect(rows.some((row) => row.nodeName?.startsWith("Pioneer Rail"))).toBe(false);
    expect(rows.some((row) => row.action === "demo.seed")).toBe(false);
  });

  it("shows the owner everything in the account, newest first, filtered by action and actor", async () => {
    const owner = await contextFor(db(), OWNER);
    const account = await nodeId(db(), "northwind");
    const { rows } = await listAuditEvents(owner, { nodeId: account });
    expect(rows.map((row) => row.action)).toEqual(expect.arrayContaining(["node.rename", "demo.seed"]));
    expect(rows.map((row) => row.id)).toEqual([...rows.map((row) => row.id)].sort((a, b) => b - a));
    const renames = await listAuditEvents(owner, { nodeId: account, action: "node.", actor: "ava.thompson" });
    expect(renames.rows).toHaveLength(3);
    expect(renames.rows.every((row) => row.action === "node.rename" && row.actorName === "Ava Thompson")).toBe(true);
  });

  it("pages through older events without repeating or skipping any", async () => {
    const owner = await contextFor(db(), OWNER);
    const account = await nodeId(db(), "northwind");
    const all = (await listAuditEvents(owner, { nodeId: account, limit: 500 })).rows.map((row) => row.id);
    const seen: number[] = [];
    let before: number | undefined;
    do {
      const page = await listAuditEvents(owner, { nodeId: account, limit: 2, before });
      seen.push(...page.rows.map((row) => row.id));
      before = page.nextBefore ?? undefined;
    } while (before !== undefined);
    expect(seen).toEqual(all);
  });

  it("exports CSV with every cell quoted and formulas defused", async () => {
    const csv = await auditEventsCsv(await contextFor(db(), OWNER), { nodeId: await nodeId(db(), "pioneer-rail") });
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,time,actor,actor_email,acting_as,action,node,target_type,target_id,summary,address");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('"Pioneer Rail ""=cmd"""');
    expect(lines[1]).toContain('"node.rename"');
  });

  it("refuses a customer viewer, who lacks audit.read, and records only the denial", async () => {
    const before = await writeCounts(db());
    const error = await listAuditEvents(await contextFor(db(), CUSTOMER_VIEWER), { nodeId: await nodeId(db(), "adler-logistik") }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: "forbidden" });
    const after = await writeCounts(db());
    expect({ ...after, denials: after.denials - 1 }).toEqual(before);
  });

  it("answers not-found for a node outside the subtree, like one that does not exist", async () => {
    const emea = await contextFor(db(), EMEA_ADMIN);
    for (const id of [await nodeId(db(), "pioneer-rail"), crypto.randomUUID()]) {
      await expect(listAuditEvents(emea, { nodeId: id })).rejects.toMatchObject({ code: "not_found" });
    }
  });

  it("rejects a bad date with a field error", async () => {
    await expect(listAuditEvents(await contextFor(db(), OWNER), { nodeId: await nodeId(db(), "northwind"), from: "not a date" })).rejects.toMatchObject({
      code: "invalid",
      details: { fieldErrors: { from: ["Not a valid date."] } },
    });
  });
});
