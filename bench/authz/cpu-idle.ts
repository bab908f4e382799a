// Keeps this machine's CPUs out of idle halts while the benchmark runs, as latency benchmarks do
// (cyclictest holds the same request; tuned's latency-performance profile sets it). On a VM whose idle
// vCPUs halt without polling first, waking one takes an exit to the hypervisor: a single `select 1`
// over loopback then has a p99 above 1 ms, which is the machine's power management, not the code,
// in every database figure. The request is system-wide and lasts while the file stays open; the
// server's context loads are also timed without it, and both figures are reported.
import { closeSync, openSync, writeSync } from "node:fs";

export interface CpuIdleHold {
  /** Whether the request is in place; when not, why. */
  held: boolean;
  reason: string | null;
  /** Runs `work` with the request lifted (CPUs free to halt when idle), then puts it back. */
  whileFree<T>(work: () => Promise<T>): Promise<T>;
  release(): void;
}

const DEVICE = "/dev/cpu_dma_latency";

/** Asks the kernel (PM QoS) for 0 µs wake-up latency, so that idle CPUs poll instead of halting. */
export function holdCpusAwake(): CpuIdleHold {
  let fd: number | null = null;
  const acquire = (): string | null => {
    try {
      fd = openSync(DEVICE, "w");
    } catch (error) {
      return `${DEVICE}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
    }
    const zero = Buffer.alloc(4);
    zero.writeInt32LE(0);
    writeSync(fd, zero);
    return null;
  };
  const release = () => {
    if (fd !== null) closeSync(fd);
    fd = null;
  };
  const reason = acquire();
  return {
    held: reason === null,
    reason,
    async whileFree(work) {
      if (fd === null) return work();
      release();
      try {
        return await work();
      } finally {
        acquire();
      }
    },
    release,
  };
}
