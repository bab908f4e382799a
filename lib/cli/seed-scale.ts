import { sql } from "drizzle-orm";
import type { DatabaseConnection } from "@/db/client";
import { seedScale, type ScaleReport } from "@/db/seed/scale";
import { DomainError } from "@/lib/errors";

/** The counts `seed --scale` was given, as typed: checked here and by the generator. */
export interface ScaleArguments {
  orgs?: string;
  users?: string;
  groups?: string;
}

/**
 * `seed --scale`: generates the data set in one transaction, printing each step with the time so far,
 * then refreshes the planner's statistics and prints a summary. Refused before writing anything when
 * the data set is already there.
 */
export async function seedScaleCommand(connection: DatabaseConnection, args: ScaleArguments, log: (line: string) => void): Promise<ScaleReport> {
  if (args.orgs === undefined || args.users === undefined) throw new DomainError("invalid", "seed --scale needs --orgs <n> and --users <n>.");
  // Anything but digits becomes NaN, which the generator refuses with the range it accepts.
  const count = (value: string | undefined) => (value === undefined ? undefined : /^\d+$/.test(value) ? Number(value) : Number.NaN);
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  log(`Generating ${args.orgs} organizations and ${args.users} users in ${connection.location} …`);
  const report = await seedScale(connection.db, { organizations: count(args.orgs)!, users: count(args.users)!, groups: count(args.groups) }, (step) =>
    log(`  ${step} (${elapsed()})`),
  );
  log(`  committed (${elapsed()})`);
  await connection.db.execute(sql`vacuum analyze nodes, principals, role_assignments`);
  log(`  statistics refreshed (${elapsed()})`);
  log(
    `Done in ${elapsed()}. Account ${report.accountId}: groups ${report.groups}, organizations ${report.organizations}, ` +
      `users ${report.users}, role assignments ${report.assignments}. Nobody has a password: send an invitation or a reset link to sign in as one of them.`,
  );
  return report;
}
