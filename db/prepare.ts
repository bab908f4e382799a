import { and, count, eq } from "drizzle-orm";
import type { DatabaseConnection } from "./client";
import { migrateDatabase } from "./migrate";
import { nodes } from "./schema";
import { syncBuiltinRoles } from "./seed/builtin-roles";
import { seedDemo, type SeedReport } from "./seed/demo";
import { DEMO_ACCOUNT } from "./seed/demo-data";

/** Brings a database up to date: migrations, built-in roles, and the demo on a database with no account. */
export async function prepareDatabase(
  connection: DatabaseConnection,
  options: { seedDemoWhenEmpty: boolean; demoPassword: string },
): Promise<{ seeded: SeedReport | null; demoPresent: boolean }> {
  await migrateDatabase(connection);
  await syncBuiltinRoles(connection.db);
  if (options.seedDemoWhenEmpty && (await countAccounts(connection, false)) === 0) {
    const seeded = await seedDemo(connection.db, { password: options.demoPassword, consumption: true });
    return { seeded, demoPresent: true };
  }
  return { seeded: null, demoPresent: (await countAccounts(connection, true)) > 0 };
}

async function countAccounts(connection: DatabaseConnection, demoOnly: boolean): Promise<number> {
  const isAccount = eq(nodes.kind, "account");
  const [row] = await connection.db
    .select({ value: count() })
    .from(nodes)
    .where(demoOnly ? and(isAccount, eq(nodes.slug, DEMO_ACCOUNT.slug)) : isAccount);
  return row?.value ?? 0;
}
