import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { seedDemo } from "@/db/seed/demo";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId } from "@/lib/access/test-support";
import { moveNode } from "@/lib/tenants/service";
import { rebuildRollups } from "./rollups";
import { recordUsage } from "./usage";
import { activeEntitlement, catalogIds, PEOPLE } from "./write-test-support";

let connection: DatabaseConnection;
let db: Database;
let accountId: string;

/** Each node's points for February 2026 in the monthly roll-up, by slug. */
async function february(): Promise<Record<string, string>> {
  const result = (await db.execute(sql`select n.slug, sum(m.points)::text as points from consumption_monthly m join nodes n on n.id = m.node_id
    where m.month = '2026-02-01' group by n.slug having sum(m.points) <> 0 order by n.slug`)) as unknown as { rows: { slug: string; points: string }[] };
  return Object.fromEntries(result.rows.map((row) => [row.slug, row.points]));
}

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  accountId = (await seedDemo(db, { password: "test-password-123" })).accountId;
  const products = await catalogIds(db, accountId);
  await activeEntitlement(db, accountId, { id: await nodeId(db, "adler-logistik") }, products["fortigate-vm"]!, "FGVMMLTM26000001", "2026-02-01");
  await activeEntitlement(db, accountId, { id: await nodeId(db, "kestrel-accountancy") }, products["fortigate-vm"]!, "FGVMMLTM26000002", "2026-02-01");
  const owner = await contextFor(db, PEOPLE.owner);
  await recordUsage(owner, {
    nodeId: accountId,
    rows: [
      { serialNumber: "FGVMMLTM26000001", day: "2026-02-10", points: 10 },
      { serialNumber: "FGVMMLTM26000001", day: "2026-02-11", points: 2.5 },
      { serialNumber: "FGVMMLTM26000002", day: "2026-02-10", points: 4 },
    ],
  });
});

afterAll(async () => {
  await connection?.close();
});

describe("roll-ups when a node moves", () => {
  it("take the organization's totals off the groups it leaves and add them to those it joins", async () => {
    expect(await february()).toEqual({
      "adler-logistik": "12.5000",
      "emea-enterprise": "12.5000",
      "kestrel-accountancy": "4.0000",
      "emea-smb": "4.0000",
      emea: "16.5000",
      regions: "16.5000",
      northwind: "16.5000",
    });
    await moveNode(await contextFor(db, PEOPLE.owner), { nodeId: await nodeId(db, "adler-logistik"), newParentId: await nodeId(db, "americas-smb") });
    expect(await february()).toEqual({
      "adler-logistik": "12.5000",
      "americas-smb": "12.5000",
      americas: "12.5000",
      "kestrel-accountancy": "4.0000",
      "emea-smb": "4.0000",
      emea: "4.0000",
      regions: "16.5000",
      northwind: "16.5000",
    });
  });

  it("move a group's whole subtree total, and agree with a rebuild from raw usage afterwards", async () => {
    await moveNode(await contextFor(db, PEOPLE.owner), { nodeId: await nodeId(db, "emea-smb"), newParentId: await nodeId(db, "partners") });
    const incremental = await february();
    expect(incremental).toMatchObject({ partners: "4.0000", regions: "12.5000", northwind: "16.5000" });
    expect(incremental.emea).toBeUndefined();
    await rebuildRollups(db, accountId);
    expect(await february()).toEqual(incremental);
  });
});
