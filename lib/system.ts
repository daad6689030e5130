/**
 * What the native core runs on: chosen SIMD implementation, thread count.
 */
import { native } from './native.js';
import { integer, numberIn } from './validate.js';
import { version } from './version.js';

/** Kernel implementations gradscope can run. */
export type Isa = 'scalar' | 'avx2' | 'avx512' | 'neon';

/** Result of {@link cpu}. */
export interface CpuInfo {
  /** The implementation in use (the best available unless `GRADSCOPE_ISA` chose another). */
  isa: Isa;
  /** Implementations this binary has and this CPU + OS can run, worst first. */
  available: Isa[];
  /** Threads a parallel operation uses (caller included). */
  threads: number;
  /** gradscope's package version. */
  version: string;
  /** Raw CPU feature flags that decided `available`. */
  features: Record<string, boolean>;
}

/**
 * Describes the SIMD implementation and threads in use.
 * @example
 * ```ts
 * cpu(); // { isa: 'avx2', available: ['scalar', 'avx2'], threads: 2, version: '0.1.0', … }
 * ```
 */
export function cpu(): CpuInfo {
  const info = native().cpuInfo();
  return {
    isa: info.isa as Isa,
    available: info.available as Isa[],
    threads: info.threads,
    version,
    features: info.features,
  };
}

/** Largest thread count accepted by {@link setThreads}. */
export const MAX_THREADS = 256;

/**
 * Sets how many threads parallel operations use (the calling thread included).
 * Results never depend on it: work is split into fixed blocks.
 * @param n integer in [1, 256]
 * @throws TypeError if `n` is not a number; RangeError if it is not an integer in range.
 */
export function setThreads(n: number): void {
  native().setThreads(integer('threads', n, 1, MAX_THREADS));
}

/** Threads parallel operations use now (initially `GRADSCOPE_THREADS` or the machine's core count). */
export function getThreads(): number {
  return native().getThreads();
}

/**
 * Measures one core's FMA throughput with the kernels in use (`cpu().isa`), in
 * GFLOP/s: the best of repeated timed runs of 12 independent FMA chains on the
 * ISA's vectors, for about `seconds` (blocks the calling thread that long). The
 * denominator of "% of peak" in the benchmarks: divide a single-threaded GEMM's
 * GFLOP/s by it. With `GRADSCOPE_ISA=scalar` it measures the scalar path's own
 * `fma` calls.
 * @param seconds measuring time, in [0.001, 2] (default 0.2)
 * @example `measureFmaPeak()` → 93.1 on one Zen 3 core at 2.9 GHz (AVX2: 2 pipes × 8 lanes × 2 flops)
 */
export function measureFmaPeak(seconds = 0.2): number {
  return native().fmaPeak(numberIn('seconds', seconds, 0.001, 2));
}
