// Child process of bench/authz.ts: times loadAuthContext in a process that holds only its database
// connection, as the app server does, rather than in the benchmark process whose heap carries the
// whole generated dataset, CASL abilities and a casbin enforcer (its garbage collections land in the
// timings). Reads { url, now, warmup, principalIds } as JSON on stdin; writes a Summary as JSON on stdout.
import { openServerDatabase } from "@/db/client";
import { loadAuthContext } from "@/lib/authz/load-context";
import { summarize, timeAsync } from "./stats";

interface ProbeInput {
  url: string;
  now: string;
  warmup: number;
  principalIds: string[];
}

async function main(): Promise<void> {
  const input = JSON.parse(await readStdin()) as ProbeInput;
  const now = new Date(input.now);
  const connection = openServerDatabase(input.url, { max: 1 });
  try {
    const iterations = input.principalIds.length - input.warmup;
    const samples = await timeAsync(iterations, input.warmup, async (i) => {
      if (!(await loadAuthContext(connection.db, input.principalIds[i]!, now))) throw new Error(`principal ${input.principalIds[i]} not found`);
    });
    process.stdout.write(JSON.stringify(summarize(samples)));
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
