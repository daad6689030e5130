/**
 * The `gradscope` command.
 *   gradscope info   version, SIMD implementation in use, available ones, threads
 */
import { Command } from 'commander';
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

program.parseAsync(process.argv).catch((e: Error) => {
  process.stderr.write(`gradscope: ${e.message}\n`);
  process.exit(1);
});
