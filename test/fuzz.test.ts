// Runs the fuzzer (test/fuzz/fuzz-child.ts) in a child process: ≥ 100,000 calls
// of every public function and raw binding with hostile arguments. A crash of
// the child (signal, abort) fails this test instead of killing the runner.
// FUZZ_RUNS overrides the number of calls.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const child = path.join(import.meta.dirname, 'fuzz', 'fuzz-child.ts');

function fuzz(env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', child], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    timeout: 600_000,
  });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return {
    status: r.status,
    signal: r.signal,
    stderr: r.stderr,
    report: last.startsWith('{') ? JSON.parse(last) : null,
  };
}

describe('fuzzing', () => {
  it('every entry point survives hostile arguments with clear errors and no state change', () => {
    const runs = Number(process.env.FUZZ_RUNS ?? 100_000);
    const r = fuzz({ FUZZ_RUNS: String(runs) });
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    expect(r.report?.failures).toEqual([]);
    expect(r.report?.calls).toBeGreaterThanOrEqual(runs);
    expect(r.report?.succeeded).toBeGreaterThan(0); // some calls were valid enough to do work
  }, 900_000);

  it('the harness reports a call that breaks the contract', () => {
    const r = fuzz({ FUZZ_RUNS: '200', FUZZ_SELFTEST: '1' });
    expect(r.report?.failureCount).toBeGreaterThan(0);
    expect(r.report?.failures.join('\n')).toMatch(/selftest.*threw Error: plain error/);
  }, 120_000);
});
