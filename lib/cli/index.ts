import { parseArgs } from "node:util";
import { openConfiguredDatabase, type DatabaseConnection } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { syncBuiltinRoles } from "@/db/seed/builtin-roles";
import { seedDemo } from "@/db/seed/demo";
import { DEFAULT_DEMO_PASSWORD, readEnvironment } from "@/lib/env";
import { runCommand } from "./run";

const USAGE = `Usage: npm run arbor -- <command>

Commands:
  migrate       apply pending database migrations
  seed --demo   create the Northwind demo provider (adds only what is missing)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "migrate":
      return withDatabase(async (connection) => {
        await migrateDatabase(connection);
        await syncBuiltinRoles(connection.db);
        console.log(`Migrations applied to ${connection.location}.`);
      });
    case "seed": {
      const { values } = parseArgs({ args: rest, options: { demo: { type: "boolean" } }, strict: true });
      if (!values.demo) {
        console.error("seed needs --demo\n\n" + USAGE);
        return 2;
      }
      return withDatabase(async (connection) => {
        await migrateDatabase(connection);
        const report = await seedDemo(connection.db, { password: readEnvironment().DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD });
        console.log(
          `Demo data ready in ${connection.location}: ${report.nodesCreated} nodes, ${report.usersCreated} users, ` +
            `${report.assignmentsCreated} role assignments created.`,
        );
      });
    }
    case undefined:
    case "help":
    case "--help":
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

async function withDatabase(work: (connection: DatabaseConnection) => Promise<void>): Promise<number> {
  const connection = await openConfiguredDatabase();
  try {
    await work(connection);
    return 0;
  } finally {
    await connection.close();
  }
}

runCommand(() => main(process.argv.slice(2)));
