/**
 * Benchmark harness: a table of trials, each run with warm-up and repeats;
 * peers run in the same process (TF.js) or in a child (python3 + numpy) with
 * the same warm-up/repeat policy; results print as a markdown table with
 * ratios against gradscope and are written as JSON.
 */

/** One implementation of one benchmark. */
export interface Trial {
  /** Group id: trials in a group do the same work and are compared. */
  group: string;
  /** Human title of the group (first trial's wins). */
  title: string;
  /** Implementation label, e.g. 'gradscope (1 thread)', 'numpy', 'tfjs-wasm'. */
  impl: string;
  /** Work per run, for throughput. */
  work: { count: number; unit: 'sample' | 'flop' | 'step' };
  /** Marks the reference implementation of the group (gradscope, 1 thread). */
  reference?: boolean;
  /** Kernels and threads it runs on: flop trials report "% of peak" against them. */
  isa?: string;
  threads?: number;
  setup?: () => void | Promise<void>;
  run: () => unknown | Promise<unknown>;
  teardown?: () => void | Promise<void>;
}

/** A measured trial (also the shape peers report from child processes). */
export interface Result {
  group: string;
  title: string;
  impl: string;
  unit: Trial['work']['unit'];
  count: number;
  reference?: boolean;
  isa?: string;
  threads?: number;
  /** milliseconds per run */
  median: number;
  min: number;
  runs: number;
  skipped?: string;
}

export interface Policy {
  warmup: number;
  repeats: number;
  /** stop repeating after this many ms (at least 3 runs) */
  budgetMs: number;
}

export async function measure(t: Trial, p: Policy): Promise<Result> {
  await t.setup?.();
  try {
    for (let i = 0; i < p.warmup; i++) await t.run();
    const times: number[] = [];
    const start = performance.now();
    while (times.length < p.repeats && (times.length < 3 || performance.now() - start < p.budgetMs)) {
      const t0 = performance.now();
      await t.run();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return {
      group: t.group,
      title: t.title,
      impl: t.impl,
      unit: t.work.unit,
      count: t.work.count,
      reference: t.reference,
      isa: t.isa,
      threads: t.threads,
      median: times[Math.floor(times.length / 2)],
      min: times[0],
      runs: times.length,
    };
  } finally {
    await t.teardown?.();
  }
}

/**
 * Rows of several rounds of the same trials, combined per (group, impl): the
 * median of the rounds' medians, the min of their mins, the runs summed. A row
 * skipped in any round stays skipped.
 */
export function combineRounds(rounds: Result[][]): Result[] {
  if (rounds.length === 1) return rounds[0];
  const key = (r: Result) => `${r.group}\u0000${r.impl}`;
  return rounds[0].map((first) => {
    const rows = rounds
      .map((round) => round.find((r) => key(r) === key(first)))
      .filter((r) => r !== undefined);
    const skipped = rows.find((r) => r.skipped);
    if (skipped) return skipped;
    const medians = rows.map((r) => r.median).sort((a, b) => a - b);
    const mid = medians.length >> 1;
    return {
      ...first,
      median: medians.length % 2 ? medians[mid] : (medians[mid - 1] + medians[mid]) / 2,
      min: Math.min(...rows.map((r) => r.min)),
      runs: rows.reduce((n, r) => n + r.runs, 0),
    };
  });
}

/** One core's FMA peak per ISA (GFLOP/s, from measureFmaPeak) and the ISA peers are held to. */
export interface Peaks {
  gflops: Record<string, number>;
  best: string;
}

function throughput(r: Result, ms: number, peaks?: Peaks): string {
  const perSec = r.count / (ms / 1e3);
  if (r.unit === 'flop') {
    const rate = `${(perSec / 1e9).toFixed(1)} GFLOP/s`;
    // % of peak: against the row's own ISA times its threads (peers: the best ISA's).
    // Not for scalar: its exact fma is a libm call, so its "peak" is call overhead
    // and the GEMM, with more chains in flight, outruns it.
    const isa = r.isa ?? peaks?.best;
    const peak = isa && isa !== 'scalar' && r.threads ? (peaks?.gflops[isa] ?? 0) * r.threads : 0;
    return peak ? `${rate} (${((perSec / 1e9 / peak) * 100).toFixed(0)}% of peak)` : rate;
  }
  // random numbers: ns per sample; training: thousands of samples per second
  if (r.unit === 'sample')
    return perSec > 1e7
      ? `${((ms * 1e6) / r.count).toFixed(2)} ns/sample`
      : `${(perSec / 1e3).toFixed(2)}k samples/s`;
  return `${perSec.toFixed(0)} ${r.unit}/s`;
}

/**
 * Markdown table; "gradscope speed-up" = this implementation's median time per unit of
 * work / the reference's (trials of one group may do different amounts of work: the
 * slow peers run fewer samples).
 */
export function table(results: Result[], peaks?: Peaks): string {
  const lines = [
    '| benchmark | implementation | median | min | throughput (median) | gradscope speed-up |',
    '|---|---|---:|---:|---:|---:|',
  ];
  const groups = [...new Set(results.map((r) => r.group))];
  for (const g of groups) {
    const rows = results.filter((r) => r.group === g);
    const ref = rows.find((r) => r.reference && !r.skipped);
    for (const r of rows) {
      if (r.skipped) {
        lines.push(`| ${r.title} | ${r.impl} | – | – | skipped: ${r.skipped} | – |`);
        continue;
      }
      const ratio = ref
        ? r === ref
          ? '1.00× (reference)'
          : `${(r.median / r.count / (ref.median / ref.count)).toFixed(2)}×`
        : '–';
      lines.push(
        `| ${r.title} | ${r.impl} | ${r.median.toFixed(2)} ms | ${r.min.toFixed(2)} ms | ${throughput(r, r.median, peaks)} | ${ratio} |`,
      );
    }
  }
  return lines.join('\n');
}
