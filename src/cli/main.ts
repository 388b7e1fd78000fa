// The `simdnet` command line. `main(argv, io)` parses and validates the arguments first, then loads the module of
// the command (so argument errors and --help need neither the data nor the Wasm core), and returns the exit
// status: 0 done, 1 failed (a SimdnetError, printed as one line), 2 a mistake on the command line.

import { createRequire } from 'node:module';
import { SimdnetError } from '../core/errors.js';
import { parseCommand, USAGE, UsageError } from './args.js';
import { type CliIO, processIO } from './io.js';

export type { CliIO, CliStream } from './io.js';

function version(): string {
  // src/cli/main.ts in the repository, dist/cli.js once bundled: the package's package.json is one of these.
  const require = createRequire(import.meta.url);
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(candidate) as { name?: string; version?: string };
      if (pkg.name === 'simdnet' && pkg.version) return pkg.version;
    } catch {
      // not here
    }
  }
  return 'unknown';
}

export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  try {
    const command = parseCommand(argv);
    switch (command.kind) {
      case 'help':
        io.stdout.write(USAGE);
        return 0;
      case 'version':
        io.stdout.write(`simdnet ${version()}\n`);
        return 0;
      case 'train':
        return await (await import('./train.js')).runTrain(command.config, io);
      case 'eval':
        return await (await import('./evaluate.js')).runEval(command, io);
      case 'predict':
        return await (await import('./evaluate.js')).runPredict(command, io);
      case 'train-table':
        return await (await import('./table-train.js')).runTableTrain(command.config, io);
      case 'eval-table':
        return await (await import('./table-use.js')).runTableEval(command, io);
      case 'predict-table':
        return await (await import('./table-use.js')).runTablePredict(command, io);
      case 'inspect':
        return await (await import('./inspect.js')).runInspect(command, io);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`simdnet: ${error.message}\nRun 'simdnet --help' for usage.\n`);
      return 2;
    }
    if (error instanceof SimdnetError) {
      io.stderr.write(`simdnet: ${error.message} [${error.code}]\n`);
      return 1;
    }
    io.stderr.write(`simdnet: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
