// Builds the Piscina entry points (workers/*.ts) into out/workers/<name>.cjs for the built app:
// one CommonJS file each whose module.exports is the function Piscina calls per task. From
// source the engine runs workers/*.ts through tsx; the built app (out/main/index.js) finds these
// instead (main/pass/workerFiles.ts), and electron-builder.yml unpacks them from app.asar.
//
// Everything a worker imports is bundled in, but for the packages a bundle can't hold: the
// native better-sqlite3 (and the `bindings` it loads its .node file with) and Piscina, whose
// own thread entry is a file of its own. electron-builder unpacks those three from app.asar,
// so an unpacked worker resolves them from app.asar.unpacked/node_modules like any file there.
//
// Usage: node bin/build-workers.mjs [outDir]   (npm run build builds them with the command line: bin/build-cli.mjs)
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const WORKER_EXTERNALS = ['better-sqlite3', 'bindings', 'piscina'];

/** `entryPoints`: default every workers/*.ts; the benchmarks add their own (bench/cpuWorker.ts). */
export async function buildWorkers(outDir = join(root, 'out', 'workers'), entryPoints = sourceWorkers()) {
  const result = await build(workerBuildOptions(outDir, entryPoints));
  return Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.cjs'));
}

/** esbuild's options for the worker bundles (bin/build-cli.mjs builds them with the command line's). */
export function workerBuildOptions(outDir, entryPoints = sourceWorkers()) {
  return {
    entryPoints,
    outdir: outDir,
    outExtension: { '.js': '.cjs' },
    entryNames: '[name]',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // Electron 42 runs Node 22; the source-run engine needs Node 20: both read ES2022.
    target: 'node20',
    external: WORKER_EXTERNALS,
    // The sources find files relative to themselves with import.meta.url, which CommonJS lacks.
    define: { 'import.meta.url': '__workerModuleUrl' },
    banner: { js: 'const __workerModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    // `export default fn` becomes module.exports = fn: the CommonJS function export Piscina calls.
    footer: { js: 'module.exports = module.exports.default;' },
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  };
}

/** workers/*.ts: the entry points the app's jobs name. */
export function sourceWorkers() {
  return readdirSync(join(root, 'workers'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(root, 'workers', f));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outputs = await buildWorkers(process.argv[2] ? resolve(process.argv[2]) : undefined);
  for (const file of outputs) console.log(`worker  ${file}`);
}
