// Timing helpers. Latencies are collected as numbers (ns or ms) and summarized by nearest rank.

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
  /** Calls per timed batch: each sample is one batch's time divided by this. */
  batch: number;
  calls: number;
}

// A batch should last this long so that hrtime.bigint's own cost (~50 ns) stays under ~1%.
const TARGET_BATCH_NS = 10_000;
const MAX_BATCH = 1_000;

/**
 * Per-call latency of `check(i)` over indices 0..count-1, cycled. Calls are timed in batches whose
 * size is calibrated so one batch takes about 10 µs; each batch yields one sample (batch ns / size).
 * Stops after `minCalls` calls or `maxMs` milliseconds, whichever comes first (at least one batch).
 */
export function timeChecks(count: number, check: (index: number) => boolean, options: { minCalls: number; maxMs: number }): CheckTiming {
  const batch = calibrateBatch(count, check);
  const samples: number[] = [];
  const deadline = process.hrtime.bigint() + BigInt(Math.round(options.maxMs * 1e6));
  let index = 0;
  let calls = 0;
  let sink = 0; // consumed below so the calls cannot be optimised away
  while (calls < options.minCalls) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) {
      if (check(index)) sink++;
      index = index + 1 === count ? 0 : index + 1;
    }
    const end = process.hrtime.bigint();
    samples.push(Number(end - start) / batch);
    calls += batch;
    if (end > deadline) break;
  }
  if (sink < 0) console.log(sink);
  return { ...summarize(samples), batch, calls };
}

/** Batch size for ~10 µs batches, from the mean of a probe run after an untimed warm-up run. */
function calibrateBatch(count: number, check: (index: number) => boolean): number {
  const run = (calls: number, budgetNs: number) => {
    const start = process.hrtime.bigint();
    let done = 0;
    for (; done < calls; done++) {
      // Reading the clock costs about as much as a fast check: look only every 16 calls.
      if (done % 16 === 0 && done > 0 && Number(process.hrtime.bigint() - start) > budgetNs) break;
      check(done % count);
    }
    return Number(process.hrtime.bigint() - start) / done;
  };
  run(5_000, 1e9); // let the JIT settle on this closure before judging its speed
  const perCall = run(5_000, 5e8);
  return Math.min(MAX_BATCH, Math.max(1, Math.ceil(TARGET_BATCH_NS / Math.max(perCall, 1))));
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
