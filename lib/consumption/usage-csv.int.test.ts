import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseConnection } from "@/db/client";
import { usageDaily } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { eventsSince, lastEventId, writeChecks } from "@/db/test-snapshots";
import { createTestDatabase } from "@/db/testing";
import { contextFor, nodeId } from "@/lib/access/test-support";
import type { ServiceContext } from "@/lib/service-context";
import { MAX_USAGE_CSV_BYTES } from "./schemas";
import { importUsageCsv } from "./usage-csv";
import { activeEntitlement, catalogIds, consumptionSnapshot, PEOPLE } from "./write-test-support";

const NOW = new Date("2026-03-03T12:00:00Z");

let connection: DatabaseConnection;
let db: Database;
let accountId: string;
let adler: string;

const { expectRefused, expectAudited } = writeChecks(() => db, () => consumptionSnapshot(db));

async function at(email: string): Promise<ServiceContext> {
  const ctx = await contextFor(db, email);
  return { ...ctx, authz: { ...ctx.authz, now: NOW } };
}

const file = (...lines: string[]) => `${lines.join("\n")}\n`;

beforeAll(async () => {
  connection = await createTestDatabase();
  db = connection.db;
  accountId = (await seedDemo(db, { password: "test-password-123" })).accountId;
  const products = await catalogIds(db, accountId);
  adler = await nodeId(db, "adler-logistik");
  await activeEntitlement(db, accountId, { id: adler }, products["fortigate-vm"]!, "FGVMMLTM26000001", "2026-02-20");
  await activeEntitlement(db, accountId, { id: adler }, products.fortisase!, "FSASEUTM26000001", "2026-02-20");
  await activeEntitlement(db, accountId, { id: await nodeId(db, "baltic-freight-lines") }, products["fortigate-vm"]!, "FGVMMLTM26000002", "2026-02-20");
});

afterAll(async () => {
  await connection?.close();
});

describe("importUsageCsv", () => {
  it("imports a good file and sums up what it did, with one audit event", async () => {
    const csv = file("serial_number,day,points", "FGVMMLTM26000001,2026-02-20,6.4", '"FGVMMLTM26000001","2026-02-21","6.4"', "", "FSASEUTM26000001,2026-02-20,12.5");
    const { result, event } = await expectAudited(async () => importUsageCsv(await at(PEOPLE.adlerManager), { nodeId: adler, csv }));
    expect(result).toEqual({ inserted: 3, replaced: 0, unchanged: 0, rejected: 0, valid: 3, dryRun: false, errors: [], imported: true });
    expect(event).toMatchObject({ action: "usage.import", nodeId: adler, summary: { after: { inserted: 3, from: "2026-02-20", to: "2026-02-21" } } });
  });

  it("counts rows that replace and rows that repeat, and accepts a byte-order mark, CRLF and header case", async () => {
    const csv = "\uFEFFSerial_Number,Day,Points\r\nFGVMMLTM26000001,2026-02-20,6.4\r\nFGVMMLTM26000001,2026-02-21,3\r\nFGVMMLTM26000001,2026-02-22,1\r\n";
    const result = await importUsageCsv(await at(PEOPLE.adlerManager), { nodeId: adler, csv });
    expect(result).toMatchObject({ inserted: 1, replaced: 1, unchanged: 1, rejected: 0, imported: true });
  });

  it("checks a file without importing it: what would be new, replaced or unchanged, and its bad lines, writing nothing", async () => {
    const csv = file("serial_number,day,points", "FGVMMLTM26000001,2026-02-20,6.4", "FGVMMLTM26000001,2026-02-21,9", "FGVMMLTM26000001,2026-02-27,2", "FSASEUTM26000001,2026-03-05,1");
    const before = await consumptionSnapshot(db);
    const since = await lastEventId(db);
    const result = await importUsageCsv(await at(PEOPLE.adlerManager), { nodeId: adler, csv, dryRun: "true" });
    expect(result).toEqual({
      inserted: 1,
      replaced: 1,
      unchanged: 1,
      rejected: 1,
      valid: 3,
      dryRun: true,
      imported: false,
      errors: [{ line: 5, reason: "2026-03-05 is in the future (today is 2026-03-03)." }],
    });
    expect(await consumptionSnapshot(db)).toEqual(before);
    expect(await eventsSince(db, since)).toEqual([]);
  });

  it("refuses a viewer's dry run like an import", async () => {
    const csv = file("serial_number,day,points", "FGVMMLTM26000001,2026-02-27,1");
    await expectRefused(async () => importUsageCsv(await at(PEOPLE.adlerViewer), { nodeId: adler, csv, dryRun: true }), "forbidden", "usage.import.denied");
  });

  it("reports every bad row with its line and reason, and then imports nothing", async () => {
    const csv = file(
      "serial_number,day,points",
      "FGVMMLTM26000001,2026-02-23,6.4",
      "FGVMMLTM29999999,2026-02-23,1",
      "FGVMMLTM26000002,2026-02-23,1",
      "",
      "FGVMMLTM26000001,23/02/2026,1",
      "FGVMMLTM26000001,2026-03-04,1",
      "FGVMMLTM26000001,2026-02-24,-1",
      "FGVMMLTM26000001,2026-02-24,six",
      "FGVMMLTM26000001,2026-02-23,6.4",
      "FGVMMLTM26000001,2026-02-25",
      ",2026-02-25,1",
      "FGVMMLTM26000001,2026-02-19,1",
    );
    const before = await consumptionSnapshot(db);
    const since = await lastEventId(db);
    const result = await importUsageCsv(await at(PEOPLE.adlerManager), { nodeId: adler, csv });
    expect(await consumptionSnapshot(db)).toEqual(before);
    expect(await eventsSince(db, since)).toEqual([]);
    expect(result).toMatchObject({ inserted: 0, replaced: 0, unchanged: 0, rejected: 10, valid: 1, imported: false });
    expect(result.errors).toEqual([
      { line: 3, reason: "Unknown serial number FGVMMLTM29999999." },
      { line: 4, reason: "Unknown serial number FGVMMLTM26000002." },
      { line: 6, reason: '"23/02/2026" is not a day written YYYY-MM-DD.' },
      { line: 7, reason: "2026-03-04 is in the future (today is 2026-03-03)." },
      { line: 8, reason: "Points cannot be negative." },
      { line: 9, reason: '"six" is not a number of points.' },
      { line: 10, reason: "Repeats line 2: the same entitlement (FGVMMLTM26000001) and day." },
      { line: 11, reason: "The row has 2 fields; expected 3 (serial_number,day,points)." },
      { line: 12, reason: "The serial number is missing." },
      { line: 13, reason: "2026-02-19 is before FGVMMLTM26000001 started, on 2026-02-20." },
    ]);
  });

  it("imports the valid rows of a file with bad ones when asked", async () => {
    const csv = file("serial_number,day,points", "FGVMMLTM26000001,2026-02-26,7", "FGVMMLTM29999999,2026-02-26,1", "FSASEUTM26000001,2026-02-26,8.25");
    const result = await importUsageCsv(await at(PEOPLE.adlerManager), { nodeId: adler, csv, importValidRows: "on" });
    expect(result).toEqual({ inserted: 2, replaced: 0, unchanged: 0, rejected: 1, valid: 2, dryRun: false, imported: true, errors: [{ line: 3, reason: "Unknown serial number FGVMMLTM29999999." }] });
    const stored = await db.select({ points: usageDaily.points }).from(usageDaily).where(and(eq(usageDaily.nodeId, adler), eq(usageDaily.day, "2026-02-26")));
    expect(stored.map((row) => row.points).sort()).toEqual([7, 8.25]);
  });

  it("refuses a file too large, without the header, empty below it, or not CSV at all", async () => {
    const manager = await at(PEOPLE.adlerManager);
    const large = await expectRefused(() => importUsageCsv(manager, { nodeId: adler, csv: `serial_number,day,points\n${"x".repeat(MAX_USAGE_CSV_BYTES)}` }), "too_large");
    expect(large.error.message).toBe("The file is 5.0 MB; import at most 5 MB at a time (split it by month).");
    const header = await expectRefused(() => importUsageCsv(manager, { nodeId: adler, csv: file("serial,date,points", "FGVMMLTM26000001,2026-02-20,1") }), "invalid");
    expect(header.error.message).toBe("The first line must be the header serial_number,day,points.");
    const empty = await expectRefused(() => importUsageCsv(manager, { nodeId: adler, csv: file("serial_number,day,points") }), "invalid");
    expect(empty.error.message).toBe("The file has no rows below its header.");
    const broken = await expectRefused(() => importUsageCsv(manager, { nodeId: adler, csv: file("serial_number,day,points", '"FGVMMLTM26000001,2026-02-20,1') }), "invalid");
    expect(broken.error.message).toMatch(/^The file is not valid CSV: Quote Not Closed: .* at line 2\.$/);
  });

  it("refuses a viewer and another organization's manager before reading the file", async () => {
    const csv = file("serial_number,day,points", "FGVMMLTM26000001,2026-02-27,1");
    await expectRefused(async () => importUsageCsv(await at(PEOPLE.adlerViewer), { nodeId: adler, csv }), "forbidden", "usage.import.denied");
    await expectRefused(async () => importUsageCsv(await at(PEOPLE.balticManager), { nodeId: adler, csv }), "not_found", "usage.import.denied");
  });
});
