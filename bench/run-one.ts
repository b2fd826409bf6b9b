// Runs one benchmark in this process and prints its rows as one JSON line on stdout,
// prefixed with ROWS_MARKER, for bench/index.ts. Running each benchmark in a child process of
// its own makes the peak RSS (process.resourceUsage().maxRSS, a lifetime maximum) its own.
//   node --expose-gc bin/run-ts.mjs bench/run-one.ts <name> [small|default|full]
import { ROWS_MARKER, SCALES, type BenchRow, type Scale } from './benchmark.ts';
import { loadBenchmark } from './registry.ts';
import { round } from './support.ts';

/** Peak resident set size of this process so far, in MB (maxRSS is in kilobytes). */
export function peakRssMb(): number {
  return round(process.resourceUsage().maxRSS / 1024, 1);
}

async function main(): Promise<void> {
  const [name, scaleArg = 'default'] = process.argv.slice(2);
  if (!name || !SCALES.includes(scaleArg as Scale)) {
    console.error(`usage: run-one.ts <benchmark> [${SCALES.join('|')}]`);
    process.exit(2);
  }
  const benchmark = await loadBenchmark(name);
  const rows: BenchRow[] = await benchmark.run(scaleArg as Scale);
  const peak = peakRssMb();
  for (const r of rows) r.peakRssMb ??= r.seconds === null ? null : peak;
  await new Promise<void>((resolve) => process.stdout.write(`${ROWS_MARKER}${JSON.stringify(rows)}\n`, () => resolve()));
}

main().then(
  // exit at once: a benchmark's pools and timers are no reason to linger
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
