import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "@/lib/cli/testing/run-cli";
import { DatabaseInUseError, openEmbeddedDatabase, type DatabaseConnection } from "./client";
import { roles } from "./schema";

// Always embedded: the lock guards a PGlite data directory, whatever TEST_DATABASE_URL says.
let dataDir: string;
let first: DatabaseConnection | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "arbor-lock-"));
});

afterAll(async () => {
  await first?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("embedded data directory lock", () => {
  it("refuses a second connection in the same process while the first is open", async () => {
    first = await openEmbeddedDatabase(dataDir);
    await expect(openEmbeddedDatabase(dataDir)).rejects.toBeInstanceOf(DatabaseInUseError);
    await expect(openEmbeddedDatabase(dataDir)).rejects.toThrow(/in use by another Arbor process/);
  });

  it.each([
    "migrate",
    "seed --demo",
    "seed --scale --orgs 10 --users 10",
    "bootstrap --email first@example.com --name First",
    "api-client create --node northwind --role viewer",
  ])("makes `%s` fail with a clear message while the directory is open", async (command) => {
    expect(first).toBeDefined();
    const result = await runCli(command.split(" "), dataDir);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain("in use by another Arbor process");
  });

  it("keeps the first connection working after the refusal", async () => {
    const result = await first!.db.execute(sql`select 1 as one`);
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { one: number }[];
    expect(rows).toEqual([{ one: 1 }]);
  });

  it("lets another process migrate once the first connection is closed", async () => {
    await first!.close();
    first = undefined;
    const result = await runCli(["migrate"], dataDir);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("Migrations applied");

    // The other process really wrote to the directory, and released it when it ended.
    first = await openEmbeddedDatabase(dataDir);
    const builtin = await first.db.select({ key: roles.key }).from(roles);
    expect(builtin.map((role) => role.key).sort()).toEqual(["manager", "owner", "viewer"]);
  });
});
