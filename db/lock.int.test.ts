import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatabaseInUseError, openEmbeddedDatabase, type DatabaseConnection } from "./client";
import { roles } from "./schema";

// Always embedded: the lock guards a PGlite data directory, whatever TEST_DATABASE_URL says.
const REPO_ROOT = path.resolve(import.meta.dirname, "..");
const TSX = path.join(REPO_ROOT, "node_modules/.bin/tsx");

let dataDir: string;
let first: DatabaseConnection | undefined;

interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `arbor migrate` in a separate process against `dataDir`; async so this process keeps its lock fresh. */
function runMigrate(dir: string): Promise<CommandResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir };
  delete env.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ["lib/cli/index.ts", "migrate"], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

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

  it("makes another process fail with a clear message while the directory is open", async () => {
    expect(first).toBeDefined();
    const result = await runMigrate(dataDir);
    expect(result.status, result.stderr).not.toBe(0);
    expect(result.status).not.toBeNull();
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
    const result = await runMigrate(dataDir);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("Migrations applied");

    // The other process really wrote to the directory, and released it when it ended.
    first = await openEmbeddedDatabase(dataDir);
    const builtin = await first.db.select({ key: roles.key }).from(roles);
    expect(builtin.map((role) => role.key).sort()).toEqual(["manager", "owner", "viewer"]);
  });
});
