/**
 * The `gradscope` command.
 *   gradscope doctor   the vanishing/exploding-gradient experiment on MNIST digits (the main job)
 *   gradscope info     version, SIMD implementation in use, available ones, threads
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { type DoctorCase, EXPERIMENT, runDoctor } from './doctor.js';
import { ACTIVATIONS } from './init/recommend.js';
import { loadModel } from './serialize.js';
import { cpu } from './system.js';
import { version } from './version.js';

const program = new Command();
program.name('gradscope').description('Fast training and gradient diagnostics for Node.js').version(version);

program
  .command('info')
  .description('print the package version, the SIMD implementation in use, the available ones and threads')
  .option('--json', 'print JSON')
  .action((opts: { json?: boolean }) => {
    const c = cpu();
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(c, null, 2)}\n`);
      return;
    }
    const lines = [
      `gradscope ${c.version}`,
      `  isa        ${c.isa}${process.env.GRADSCOPE_ISA ? ` (GRADSCOPE_ISA=${process.env.GRADSCOPE_ISA})` : ' (best available)'}`,
      `  available  ${c.available.join(', ')}`,
      `  threads    ${c.threads}`,
      `  node       ${process.version} (${process.platform}-${process.arch})`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  });

const int = (min: number, max: number) => (s: string) => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InvalidArgumentError(`expected an integer in [${min}, ${max}]`);
  return n;
};

program
  .command('doctor', { isDefault: false })
  .description(
    'diagnose deep nets on real MNIST digits: for each activation + initialisation, whether gradients vanish, explode, saturate or die, where, and what to change; then train each briefly',
  )
  .option(
    '-a, --activation <name>',
    `only this activation (${ACTIVATIONS.filter((a) => a !== 'softmax').join(', ')})`,
  )
  .option(
    '-i, --init <name>',
    "only this kernel initializer (e.g. heNormal, glorotUniform, or 'normal1' for N(0,1))",
  )
  .option('-d, --depth <n>', 'hidden layers', int(1, 200), 10)
  .option('-w, --width <n>', 'units per hidden layer', int(1, 4096), 100)
  .option('-s, --seed <n>', 'seed of the weights and the shuffling', int(0, 2 ** 31), 1)
  .option('-e, --epochs <n>', 'training epochs per configuration (0: diagnose only)', int(0, 1000), 2)
  .option(
    '-m, --model <file>',
    'diagnose and train a saved model (model.toJSON(); 784 inputs, 10 outputs) instead',
  )
  .option('-o, --out <file>', 'HTML report to write', 'gradscope-report.html')
  .option('--no-out', 'write no HTML report')
  .option('--json', 'print the reports as JSON instead of the table')
  .action(
    async (opts: {
      activation?: string;
      init?: string;
      model?: string;
      depth: number;
      width: number;
      seed: number;
      epochs: number;
      out: string | false;
      json?: boolean;
    }) => {
      let cases: DoctorCase[] = EXPERIMENT;
      if (opts.model) {
        const model = loadModel(readFileSync(opts.model, 'utf8'));
        if (model.inputUnits !== 784 || model.outputUnits !== 10)
          throw new RangeError(
            `Expected a model with 784 inputs and 10 outputs (MNIST) in ${opts.model} but it has ${model.inputUnits} and ${model.outputUnits}`,
          );
        cases = [{ label: model.name, activation: '', init: '', model }];
      } else if (opts.activation || opts.init) {
        const activation = opts.activation ?? 'relu';
        const init = opts.init ?? 'glorotUniform';
        cases = [{ label: `${activation} + ${init}`, activation, init }];
      }
      const results = await runDoctor({
        cases,
        depth: opts.depth,
        width: opts.width,
        seed: opts.seed,
        epochs: opts.epochs,
        out: opts.out === false ? null : opts.out,
        log: opts.json ? () => {} : (line) => process.stdout.write(`${line}\n`),
        color: process.stdout.isTTY === true,
      });
      if (opts.json) {
        const out = results.map((r) => ({ label: r.label, accuracy: r.accuracy, report: r.report.toJSON() }));
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      }
    },
  );

program.parseAsync(process.argv).catch((e: Error) => {
  process.stderr.write(`gradscope: ${e.message}\n`);
  process.exit(1);
});
