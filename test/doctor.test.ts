// `gradscope doctor`: the experiment's verdicts on real digits, through the CLI.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../lib/internal.js';

const cli = (args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', path.join(packageRoot, 'lib', 'cli.ts'), ...args], {
    cwd: packageRoot,
    encoding: 'utf8',
    timeout: 300_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

describe('gradscope doctor', () => {
  it('diagnoses the six textbook configurations as the theory says, trains them, writes the report', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gradscope-doctor-'));
    try {
      const out = path.join(dir, 'report.html');
      const results = JSON.parse(cli(['doctor', '--json', '--epochs', '1', '--out', out])) as {
        label: string;
        accuracy: number;
        report: { verdict: { status: string; firstBadLayer: number | null } };
      }[];
      const by = Object.fromEntries(results.map((r) => [r.label, r]));
      expect(Object.keys(by)).toEqual([
        'sigmoid + N(0,1)',
        'sigmoid + Glorot',
        'tanh + Glorot',
        'ReLU + Glorot',
        'ReLU + He',
        'SELU + LeCun',
      ]);
      expect(by['sigmoid + N(0,1)'].report.verdict).toMatchObject({ status: 'saturated', firstBadLayer: 0 });
      expect(by['sigmoid + Glorot'].report.verdict.status).toBe('vanishing');
      for (const ok of ['tanh + Glorot', 'ReLU + He', 'SELU + LeCun'])
        expect(by[ok].report.verdict.status).toBe('healthy');
      // the healthy ones learn, the vanishing one does not (yet)
      expect(by['ReLU + He'].accuracy).toBeGreaterThan(0.8);
      expect(by['sigmoid + Glorot'].accuracy).toBeLessThan(0.5);
      expect(existsSync(out)).toBe(true);
      expect(readFileSync(out, 'utf8')).toContain('gradscope doctor');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad flags with a clear message', () => {
    expect(() => cli(['doctor', '--depth', '0'])).toThrow(/expected an integer in \[1, 200\]/);
    expect(() => cli(['doctor', '--activation', 'bogus', '--epochs', '0', '--no-out'])).toThrow(/activation/);
  });
});

describe('saved models', () => {
  it('toJSON / loadModel round-trip the exact weights, and the doctor diagnoses a saved model', async () => {
    const { dense, loadModel, sequential } = await import('../lib/index.js');
    const { hash } = await import('./helpers.js');
    const m = sequential(
      [
        dense(784, 64, {
          activation: 'sigmoid',
          seed: 1,
          kernelInitializer: { class_name: 'RandomNormal', config: { stddev: 1, seed: 5 } },
        }),
        dense(64, 10, { activation: 'softmax', seed: 2 }),
      ],
      { seed: 9, name: 'mine' },
    );
    const text = JSON.stringify(m.toJSON());
    const again = loadModel(text);
    expect(again.getWeights().map(hash)).toEqual(m.getWeights().map(hash));
    expect(again.summary()).toBe(m.summary());
    expect(again.seed).toBe(9n);
    expect(() => loadModel('{')).toThrow(TypeError);
    expect(() => loadModel({ ...m.toJSON(), weights: [] })).toThrow(/2 weight entries/);
    const bad = m.toJSON();
    bad.weights[0].kernel = bad.weights[0].kernel.slice(0, 100);
    expect(() => loadModel(bad)).toThrow(/float32 values/);

    const dir = mkdtempSync(path.join(os.tmpdir(), 'gradscope-model-'));
    try {
      const file = path.join(dir, 'mine.json');
      writeFileSync(file, text);
      const out = JSON.parse(cli(['doctor', '--json', '--model', file, '--epochs', '0', '--no-out']));
      expect(out).toHaveLength(1);
      expect(out[0].label).toBe('mine');
      expect(out[0].report.verdict.status).toBe('saturated'); // sigmoid with N(0,1) weights
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
