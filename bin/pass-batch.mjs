#!/usr/bin/env node
// `pass-batch`. The command line runs from its bundle (out/cli/cli.mjs, bin/build-cli.mjs), built
// here on first use and again whenever a source it was built from has changed, so a checkout
// never runs a stale one; without esbuild (a production install) or with PASS_FROM_SOURCE=1 it
// runs the TypeScript through tsx, as before. Both run the same main(): same output, same exit
// codes. `serve` is the HTTP transport's own entry point (the command-line transport may not
// import it: docs/ARCHITECTURE.md § Layers) and, being long-running, always runs from source.
import { pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);

async function fromSource(module) {
  const { register } = await import('tsx/esm/api');
  register();
  return import(module);
}

if (argv[0] === 'serve') {
  const { serveCommand } = await fromSource('../main/http/serve.ts');
  process.exitCode = await serveCommand(argv.slice(1));
} else {
  let entry;
  if (process.env.PASS_FROM_SOURCE !== '1') {
    const { freshCliEntry } = await import('./build-cli.mjs');
    // A word on a terminal while it builds (a second or so); pipes and cron see only the command's output.
    const log = process.stderr.isTTY ? (line) => process.stderr.write(`pass-batch: ${line}\n`) : undefined;
    entry = await freshCliEntry(undefined, { log });
  }
  const { main } = entry ? await import(pathToFileURL(entry).href) : await fromSource('../main/cli/index.ts');
  process.exitCode = await main(argv);
}
