// Timing helpers. Latencies are collected as numbers (ns or ms) and summarized by nearest rank.
import v8 from "node:v8";
import vm from "node:vm";

// A full collection before each timing, so that no timing inherits the collector's work (concurrent
// marking and sweeping on the other core) from what ran before it: casbin allocates heavily.
v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.length ? total / sorted.length : Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export interface CheckTiming extends Summary {
  /** Calls per timed sample: 1, every call is timed on its own. */
  batch: number;
  calls: number;
}

/** Timings of several rounds, summarized by the median round. */
export interface RoundsTiming extends CheckTiming {
  rounds: { p50: number; p99: number; calls: number }[];
}

/**
 * Several rounds of the same timing, as one figure: each percentile is the median of the rounds'
 * (this VM's memory latency drifts by 2-3x over minutes, so one round measures the minute as much as
 * the code); `calls` counts them all; every round is kept.
 */
export function medianOfRounds(rounds: readonly CheckTiming[]): RoundsTiming {
  const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
  return {
    n: rounds.reduce((sum, round) => sum + round.n, 0),
    p50: median(rounds.map((round) => round.p50)),
    p99: median(rounds.map((round) => round.p99)),
    mean: median(rounds.map((round) => round.mean)),
    max: Math.max(...rounds.map((round) => round.max)),
    batch: 1,
    calls: rounds.reduce((sum, round) => sum + round.calls, 0),
    rounds: rounds.map((round) => ({ p50: round.p50, p99: round.p99, calls: round.calls })),
  };
}

/**
 * Per-call latency of `check(i)` over indices 0..count-1, cycled: every call is timed on its own, so
 * each sample includes the clock's own cost (see the harness floor) and a pause of the machine lands
 * in the one call it interrupts. (Averaging batches of ~10 µs, as before, put such a pause into every
 * batch it touched: on a shared VM pausing ~100 µs every few ms, that made 1% of batches slow whatever
 * was timed, and the p99 measured the machine.) The caller warms the calls up first; stops after
 * `minCalls` calls or `maxMs` milliseconds, whichever comes first.
 */
export function timeChecks(count: number, check: (index: number) => boolean, options: { minCalls: number; maxMs: number }): CheckTiming {
  collectGarbage();
  let sink = 0; // consumed below so the calls cannot be optimised away
  const samples = new Float64Array(options.minCalls);
  const deadline = process.hrtime.bigint() + BigInt(Math.round(options.maxMs * 1e6));
  let index = 0;
  let calls = 0;
  while (calls < options.minCalls) {
    const start = process.hrtime.bigint();
    if (check(index)) sink++;
    const end = process.hrtime.bigint();
    samples[calls++] = Number(end - start);
    index = index + 1 === count ? 0 : index + 1;
    if ((calls & 1023) === 0 && end > deadline) break;
  }
  if (sink < 0) console.log(sink);
  return { ...summarize(Array.from(samples.subarray(0, calls))), batch: 1, calls };
}

/** Milliseconds of each of `iterations` sequential runs of `work`, after `warmup` untimed runs. */
export async function timeAsync(iterations: number, warmup: number, work: (iteration: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await work(i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    await work(warmup + i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples;
}
