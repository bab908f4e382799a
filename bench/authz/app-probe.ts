// Child process of bench/authz.ts: times loadAuthContext and listAccessibleNodes in a process that
// holds only its database (the embedded directory or one server connection), as the app server does,
// rather than in the benchmark process whose heap carries the whole generated dataset, CASL abilities
// and a casbin enforcer (its garbage collections land in the timings). Reads an AppProbeInput as JSON
// on stdin; writes an AppProbeOutput as JSON on stdout.
import { openEmbeddedDatabase, openServerDatabase } from "@/db/client";
import type { BenchDatabaseAddress } from "./databases";
import { benchListing, timeContextLoads, timeRoundTrips, type ListTiming } from "./db-bench";
import type { Summary } from "./stats";

export interface AppProbeInput {
  address: BenchDatabaseAddress;
  now: string;
  contextLoads: { warmup: number; principalIds: string[] };
  /** Null: context loads and round trips only. */
  listings: { large_scope: string; many_ranges: string; iterations: number } | null;
}

export interface AppProbeOutput {
  round_trip_ms: Summary;
  context_load_ms: Summary;
  list: { large_scope: ListTiming; many_ranges: ListTiming } | null;
}

async function main(): Promise<void> {
  const input = JSON.parse(await readStdin()) as AppProbeInput;
  const now = new Date(input.now);
  const connection = input.address.kind === "embedded" ? await openEmbeddedDatabase(input.address.dir) : openServerDatabase(input.address.url, { max: 1 });
  try {
    const { principalIds, warmup } = input.contextLoads;
    const contextLoad = await timeContextLoads(connection.db, principalIds, warmup, now);
    const roundTrip = await timeRoundTrips(connection.db, principalIds.length - warmup, warmup);
    const listings = input.listings;
    const output: AppProbeOutput = {
      round_trip_ms: roundTrip,
      context_load_ms: contextLoad,
      list: listings && {
        large_scope: await benchListing(connection.db, listings.large_scope, now, listings.iterations),
        many_ranges: await benchListing(connection.db, listings.many_ranges, now, listings.iterations),
      },
    };
    process.stdout.write(JSON.stringify(output));
  } finally {
    await connection.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
