#!/usr/bin/env node
// Runs the TypeScript command line through tsx, so no build step stands between
// `npm install` and `pass-batch`. `serve` is the HTTP transport's own entry point (the
// command-line transport may not import it: DESIGN.md § Layers).
import { register } from 'tsx/esm/api';

register();
const argv = process.argv.slice(2);
if (argv[0] === 'serve') {
  const { serveCommand } = await import('../main/http/serve.ts');
  process.exitCode = await serveCommand(argv.slice(1));
} else {
  const { main } = await import('../main/cli/index.ts');
  process.exitCode = await main(argv);
}
