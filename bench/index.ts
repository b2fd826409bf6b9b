// npm run bench [-- <name> ...] [--scale small|default|full] [--list]
// Runs the named benchmarks (all by default), each in a child process of its own so its peak
// RSS is its own, prints one table and writes bench/results/<YYYY-MM-DD>.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { ROWS_MARKER, SCALES, row, type BenchRow, type Scale } from './benchmark.ts';
import { BENCHMARK_NAMES, loadBenchmark } from './registry.ts';
import { machine } from './support.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results');

interface Results {
  machine: ReturnType<typeof machine>;
  scale: Scale;
  rows: BenchRow[];
}

const USAGE = `usage: npm run bench [-- <name> ...] [--scale ${SCALES.join('|')}] [--list]
benchmarks: ${BENCHMARK_NAMES.join(', ')}`;

function usageError(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv: string[]): { names: string[]; scale: Scale; list: boolean } {
  const names: string[] = [];
  let scale: Scale = 'default';
  let list = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--list') {
      list = true;
    } else if (arg === '--scale' || arg.startsWith('--scale=')) {
      const value = arg === '--scale' ? argv[++i] : arg.slice('--scale='.length);
      if (!SCALES.includes(value as Scale)) usageError(`--scale must be one of ${SCALES.join(', ')} (got ${value ?? 'nothing'})`);
      scale = value as Scale;
    } else if (arg.startsWith('-')) {
      usageError(`unknown option ${arg}`);
    } else if (!BENCHMARK_NAMES.includes(arg)) {
      usageError(`there is no benchmark named "${arg}"`);
    } else if (!names.includes(arg)) {
      names.push(arg);
    }
  }
  return { names: names.length ? names : BENCHMARK_NAMES, scale, list };
}

/** Runs one benchmark in a child process; its stderr streams through, its stdout carries the rows. */
function runChild(name: string, scale: Scale): Promise<BenchRow[]> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', join(ROOT, 'bin', 'run-ts.mjs'), join(ROOT, 'bench', 'run-one.ts'), name, scale], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let rows: BenchRow[] | undefined;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith(ROWS_MARKER)) rows = JSON.parse(line.slice(ROWS_MARKER.length)) as BenchRow[];
      else process.stderr.write(`${line}\n`);
    });
    child.on('close', (code, signal) => {
      if (code === 0 && rows) resolve(rows);
      else resolve([row({ job: name, db: '-', note: `failed: the benchmark process ended with ${signal ?? `exit code ${code}`} (its output is above)` })]);
    });
    child.on('error', (error) => resolve([row({ job: name, db: '-', note: `failed to start: ${error.message}` })]));
  });
}

const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const cell = (value: number | null, format: (n: number) => string) => (value === null ? '–' : format(value));

function table(rows: BenchRow[]): string {
  const header = ['job', 'database', 'items', 'seconds', 'items/s', 'ratio to baseline', 'baseline s', 'speed-up over loop', 'peak RSS MB'];
  const body = rows.map((r) => [
    r.job,
    r.db,
    cell(r.items, thousands),
    cell(r.seconds, (n) => n.toFixed(3)),
    cell(r.itemsPerSecond, thousands),
    cell(r.ratioToLimit, (n) => `${n.toFixed(2)}×`),
    cell(r.baselineSeconds, (n) => n.toFixed(3)),
    cell(r.speedupOverLoop, (n) => `${n.toFixed(1)}×`),
    cell(r.peakRssMb, (n) => n.toFixed(0)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const notes = rows.filter((r) => r.note).map((r) => `  ${r.job} [${r.db}]: ${r.note}`);
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line), ...(notes.length ? ['', 'notes:', ...notes] : [])].join('\n');
}

function localDate(d = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * Writes today's results. Rows of benchmarks not run this time are kept from an earlier run of
 * the same day when it had the same scale on the same machine; otherwise the file is replaced.
 */
function save(results: Results): string {
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `${localDate()}.json`);
  let rows = results.rows;
  if (existsSync(file)) {
    try {
      const earlier = JSON.parse(readFileSync(file, 'utf8')) as Results;
      const same =
        earlier.scale === results.scale && earlier.machine?.cpuModel === results.machine.cpuModel && earlier.machine?.cores === results.machine.cores;
      if (same && Array.isArray(earlier.rows)) {
        const fresh = new Set(rows.map((r) => r.job));
        rows = [...earlier.rows.filter((r) => !fresh.has(r.job)), ...rows];
      }
    } catch {
      // An unreadable earlier file is simply replaced.
    }
  }
  writeFileSync(file, `${JSON.stringify({ ...results, rows }, null, 2)}\n`);
  return file;
}

async function main(): Promise<void> {
  const { names, scale, list } = parseArgs(process.argv.slice(2));
  if (list) {
    const width = Math.max(...BENCHMARK_NAMES.map((n) => n.length));
    for (const name of BENCHMARK_NAMES) console.log(`${name.padEnd(width)}  ${(await loadBenchmark(name)).description}`);
    return;
  }
  const info = machine();
  console.error(`[bench] ${names.join(', ')} at scale ${scale} on ${info.cpuModel} (${info.cores} cores), node ${info.node}`);
  const rows: BenchRow[] = [];
  for (const name of names) {
    const started = Date.now();
    rows.push(...(await runChild(name, scale)));
    console.error(`[bench] ${name} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const file = save({ machine: info, scale, rows });
  console.log(`\n${info.cpuModel}, ${info.cores} cores, node ${info.node}, scale ${scale}\n`);
  console.log(table(rows));
  console.log(`\nwritten to ${relative(process.cwd(), file)}`);
  if (rows.some((r) => r.note?.startsWith('failed'))) process.exitCode = 1;
}

await main();
