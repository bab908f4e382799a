import { parseArgs } from "node:util";
import { DEFAULT_SERVER_URL } from "./databases";

export interface Options {
  nodes: number;
  assignments: number;
  principals: number;
  /** Sampled (principal, permission, node) decisions checked by all three libraries. */
  samples: number;
  /** Principals whose policies are loaded into casbin and CASL (and contexts into Arbor). */
  samplePrincipals: number;
  contextLoads: number;
  listIterations: number;
  /** Also time casbin with every principal's policies loaded (a few seconds, bounded by time). */
  casbinFull: boolean;
  seed: number;
  serverUrl: string;
  output: string;
}

const USAGE = `Usage: npm run bench:authz -- [--nodes 100000] [--assignments 1000000] [--principals 200000]
  [--samples 10000] [--sample-principals 1000] [--context-loads 5000] [--list-iterations 1000]
  [--no-casbin-full] [--seed 42] [--output bench/results/authz.json]
Server: TEST_DATABASE_URL (default ${DEFAULT_SERVER_URL}).`;

export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      nodes: { type: "string" },
      assignments: { type: "string" },
      principals: { type: "string" },
      samples: { type: "string" },
      "sample-principals": { type: "string" },
      "context-loads": { type: "string" },
      "list-iterations": { type: "string" },
      "no-casbin-full": { type: "boolean" },
      seed: { type: "string" },
      output: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const options: Options = {
    nodes: count(values.nodes, 100_000, "nodes", 2),
    assignments: count(values.assignments, 1_000_000, "assignments"),
    principals: count(values.principals, 200_000, "principals", 2),
    samples: count(values.samples, 10_000, "samples"),
    samplePrincipals: count(values["sample-principals"], 1_000, "sample-principals"),
    contextLoads: count(values["context-loads"], 5_000, "context-loads"),
    listIterations: count(values["list-iterations"], 1_000, "list-iterations"),
    casbinFull: !values["no-casbin-full"],
    seed: count(values.seed, 42, "seed", 0),
    serverUrl: process.env.TEST_DATABASE_URL || DEFAULT_SERVER_URL,
    output: values.output ?? "bench/results/authz.json",
  };
  if (options.nodes > 1_000_000 || options.principals > 2_000_000 || options.assignments > 10_000_000) {
    fail("sizes above 1M nodes, 2M principals or 10M assignments do not fit this benchmark's in-memory generator");
  }
  return options;
}

function count(raw: string | undefined, fallback: number, name: string, minimum = 1): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/_/g, ""));
  if (!Number.isInteger(value) || value < minimum) fail(`--${name} must be an integer ≥ ${minimum}`);
  return value;
}

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}
