#!/usr/bin/env node
// The `simdnet` command: a launcher for the bundled command line (dist/cli.js, built from src/cli/ by build.mjs).
let cli;
try {
  cli = await import('../dist/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('cli.js')) throw error;
  process.stderr.write('simdnet: dist/cli.js is missing; build it first with `npm run build`\n');
  process.exit(1);
}
process.exitCode = await cli.main(process.argv.slice(2));
