import { parseArgs } from "node:util";
import { openConfiguredDatabase, type DatabaseConnection } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { syncBuiltinRoles } from "@/db/seed/builtin-roles";
import { seedDemo } from "@/db/seed/demo";
import { createApiClientAsOperator } from "@/lib/api-clients/service";
import { DEFAULT_DEMO_PASSWORD, readEnvironment } from "@/lib/env";
import { bootstrapAccount } from "./bootstrap";
import { runCommand } from "./run";
import { seedScaleCommand } from "./seed-scale";

const USAGE = `Usage: npm run arbor -- <command>

Commands:
  migrate       apply pending database migrations
  seed --demo   create the Northwind demo provider (adds only what is missing)
  seed --scale --orgs <n> --users <n> [--groups <n>]
                generate a large provider for benchmarks: groups of organizations, users with roles
                spread over the tree (nobody gets a password); refused when it is already there
  bootstrap --email <e> --name <n> [--account <name>]
                start an empty database: the first account and its Owner, who sets a password
                through the single-use link printed here
  api-client create --node <id|slug> --role <role key> [--name <n>] [--json]
                create an API client with a role on a node; prints client_id and client_secret
`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
      const { values } = parseArgs({
        args: rest,
        options: { demo: { type: "boolean" }, scale: { type: "boolean" }, orgs: { type: "string" }, users: { type: "string" }, groups: { type: "string" } },
        strict: true,
      });
      if (values.demo === values.scale) {
        console.error("seed needs --demo or --scale\n\n" + USAGE);
        return 2;
      }
      if (values.scale) {
        return withDatabase(async (connection) => {
          await migrateDatabase(connection);
          await syncBuiltinRoles(connection.db);
          await seedScaleCommand(connection, values, (line) => console.log(line));
        });
      }
      return withDatabase(async (connection) => {
        await migrateDatabase(connection);
        const started = Date.now();
        const report = await seedDemo(connection.db, { password: readEnvironment().DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD, consumption: true });
        console.log(
          `Demo data ready in ${connection.location}: ${report.nodesCreated} nodes, ${report.usersCreated} users, ` +
            `${report.assignmentsCreated} role assignments, ${report.consumption!.entitlementsCreated} entitlements and ` +
            `${report.consumption!.usageRowsCreated} days of usage created [${Date.now() - started} ms].`,
        );
      });
    }
    case "bootstrap": {
      const { values } = parseArgs({ args: rest, options: { email: { type: "string" }, name: { type: "string" }, account: { type: "string" } }, strict: true });
      return withDatabase(async (connection) => {
        await migrateDatabase(connection);
        await syncBuiltinRoles(connection.db);
        const { token } = await bootstrapAccount(connection.db, values);
        const env = readEnvironment();
        const base = env.APP_URL ?? `http://localhost:${env.PORT}`;
        console.log(`Account created. ${values.email} sets a password and enrols 2FA here (valid 7 days, once):\n${base}/invite/${token}`);
      });
    }
    case "api-client": {
      const [action, ...options] = rest;
      if (action !== "create") {
        console.error(`api-client needs "create".\n\n${USAGE}`);
        return 2;
      }
      const { values } = parseArgs({
        args: options,
        options: { node: { type: "string" }, role: { type: "string" }, name: { type: "string" }, json: { type: "boolean" } },
        strict: true,
      });
      if (!values.node || !values.role) {
        console.error(`api-client create needs --node and --role.\n\n${USAGE}`);
        return 2;
      }
      const node = UUID.test(values.node) ? { id: values.node } : { slug: values.node };
      return withDatabase(async (connection) => {
        const { client, clientSecret } = await createApiClientAsOperator(connection.db, { node, roleKey: values.role!, name: values.name ?? `${values.role} client` });
        if (values.json) console.log(JSON.stringify({ id: client.id, client_id: client.clientId, client_secret: clientSecret }));
        else console.log(`client_id:     ${client.clientId}\nclient_secret: ${clientSecret}\nThe secret is shown only now; store it safely.`);
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
