/**
 * gradscope benchmarks: `npm run bench [-- --quick] [-- --filter regex] [-- --rounds n] [-- --out file.json]`.
 * Runs every trial (gradscope and its peers) on this machine in one run and
 * prints a markdown table with speed-ups; writes the results as JSON.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpu, measureFmaPeak } from '../lib/index.js';
import { setIsa } from '../lib/internal.js';
import {
  combineRounds,
  measure,
  type Peaks,
  type Policy,
  type Result,
  type Trial,
  table,
} from './harness.js';
import { loadTf } from './peers/tfjs.js';
import { gemmTrials } from './trials/gemm.js';
import { randomTrials } from './trials/random.js';
import { trainTrials } from './trials/train.js';

/** A numpy trial, run by bench/peers/numpy_peer.py. */
export interface NumpyTrial {
  group: string;
  title: string;
  impl: string;
  kind: string;
  args: Record<string, unknown>;
  unit: Result['unit'];
  count: number;
  threads?: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const filterArg = argv.indexOf('--filter');
const filter = filterArg >= 0 ? new RegExp(argv[filterArg + 1]) : undefined;
const outArg = argv.indexOf('--out');
const outFile =
  outArg >= 0 ? argv[outArg + 1] : path.join(here, 'results', quick ? 'quick.json' : 'latest.json');
// Rounds: the whole set (gradscope, TF.js and numpy) runs this many times, one
// round after another, and each row reports the median of its per-round medians
// and the min of its mins. On a shared host whose speed drifts by tens of percent
// over minutes, this spreads the slow periods over every implementation instead
// of letting one of them land on a slow stretch.
const roundsArg = argv.indexOf('--rounds');
const rounds = roundsArg >= 0 ? Math.max(1, Number.parseInt(argv[roundsArg + 1], 10) || 1) : quick ? 1 : 3;
const policy: Policy = quick
  ? { warmup: 1, repeats: 5, budgetMs: 1500 }
  : { warmup: 2, repeats: 15, budgetMs: 8000 };

function runNumpy(trials: NumpyTrial[]): Result[] {
  if (trials.length === 0) return [];
  const skipped = (why: string) =>
    trials.map((t) => ({ ...t, median: 0, min: 0, runs: 0, skipped: why }) as Result);
  const byThreads = new Map<number, NumpyTrial[]>();
  for (const t of trials) byThreads.set(t.threads ?? 1, [...(byThreads.get(t.threads ?? 1) ?? []), t]);
  const results: Result[] = [];
  for (const [threads, list] of byThreads) {
    const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
    const r = spawnSync('python3', [path.join(here, 'peers', 'numpy_peer.py')], {
      input: JSON.stringify({ policy, trials: list }),
      encoding: 'utf8',
      env,
      maxBuffer: 1 << 24,
    });
    if (r.error || r.status !== 0) {
      const why = r.error
        ? 'python3 not found'
        : `numpy unavailable (${(r.stderr || '').trim().split('\n').pop()})`;
      results.push(...skipped(why));
      continue;
    }
    results.push(...(JSON.parse(r.stdout) as Result[]).map((row) => ({ ...row, threads })));
  }
  return results;
}

async function main() {
  const info = cpu();
  const { tf, reason: tfReason } = loadTf();
  const sets = [randomTrials(quick, tf), gemmTrials(quick, tf), trainTrials(quick, tf)];
  const keep = (t: { group: string }) => !filter || filter.test(t.group);
  const trials: Trial[] = sets.flatMap((s) => s.trials).filter(keep);
  const numpy = sets.flatMap((s) => s.numpy).filter(keep);

  process.stderr.write(
    `gradscope ${info.version} · isa ${info.isa} · ${os.cpus()[0]?.model ?? 'cpu'} · ${os.cpus().length} cores · node ${process.version}${quick ? ' · quick' : ''}\n`,
  );
  const perRound: Result[][] = [];
  // One core's FMA peak per ISA, the best over the rounds (a slow stretch of the
  // host would otherwise inflate every "% of peak").
  const peaks: Peaks = { gflops: {}, best: info.isa };
  const measurePeaks = () => {
    for (const isa of info.available) {
      setIsa(isa);
      peaks.gflops[isa] = Math.max(peaks.gflops[isa] ?? 0, measureFmaPeak(0.3));
    }
    setIsa(info.isa);
  };
  for (let round = 0; round < rounds; round++) {
    if (rounds > 1) process.stderr.write(`round ${round + 1} of ${rounds}\n`);
    measurePeaks();
    const results: Result[] = [];
    for (const t of trials) {
      process.stderr.write(`  ${t.title} · ${t.impl} … `);
      try {
        const r = await measure(t, policy);
        results.push(r);
        process.stderr.write(`${r.median.toFixed(2)} ms\n`);
      } catch (e) {
        results.push({
          ...t,
          unit: t.work.unit,
          count: t.work.count,
          median: 0,
          min: 0,
          runs: 0,
          skipped: (e as Error).message,
        });
        process.stderr.write(`skipped (${(e as Error).message})\n`);
      }
    }
    process.stderr.write('  numpy peers …\n');
    results.push(...runNumpy(numpy));
    perRound.push(results);
  }
  if (!tf) process.stderr.write(`  TF.js rows skipped: ${tfReason}\n`);
  const results = combineRounds(perRound);

  // keep each group's rows together, in trial order
  const order = [...new Set(trials.map((t) => t.group).concat(numpy.map((t) => t.group)))];
  results.sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
  const peakLine = Object.entries(peaks.gflops)
    .map(([isa, g]) => `${isa} ${g.toFixed(1)}`)
    .join(', ');
  const md = table(results, peaks);
  process.stdout.write(
    `FMA peak of one core (measureFmaPeak, GFLOP/s): ${peakLine}. "% of peak" = GFLOP/s ÷ (the row's ISA peak × its threads); numpy rows against ${info.isa}'s; none for scalar, whose fma is a libm call.\n\n${md}\n`,
  );
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(
    outFile,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: {
          cpu: os.cpus()[0]?.model,
          cores: os.cpus().length,
          isa: info.isa,
          available: info.available,
        },
        node: process.version,
        quick,
        policy,
        rounds,
        fmaPeakGflops: peaks.gflops,
        results,
      },
      null,
      2,
    ),
  );
  process.stderr.write(`results written to ${path.relative(process.cwd(), outFile)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
