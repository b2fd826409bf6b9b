// Every benchmark `npm run bench` knows, in the order it runs them. A new benchmark is a
// module in bench/ whose default export is a Benchmark, plus one line here. Modules load
// lazily so that a child process only loads the one it runs.
import type { Benchmark } from './benchmark.ts';

export const BENCHMARKS: Record<string, () => Promise<Benchmark>> = {
  engine: async () => (await import('./engine.ts')).default,
  expirePasses: async () => (await import('./expirePasses.ts')).default,
  addPasses: async () => (await import('./addPasses.ts')).default,
  usePasses: async () => (await import('./usePasses.ts')).default,
  beforeClass: async () => (await import('./beforeClass.ts')).default,
  expiryReminder: async () => (await import('./expiryReminder.ts')).default,
  statistics: async () => (await import('./statistics.ts')).default,
  piscina: async () => (await import('./piscina.ts')).default,
  historyCleanup: async () => (await import('./historyCleanup.ts')).default,
  backup: async () => (await import('./backup.ts')).default,
  responsiveness: async () => (await import('./responsiveness.ts')).default,
  cli: async () => (await import('./cli.ts')).default,
  importMembers: async () => (await import('./importMembers.ts')).default,
  screens: async () => (await import('./screens.ts')).default,
};

export const BENCHMARK_NAMES = Object.keys(BENCHMARKS);

export async function loadBenchmark(name: string): Promise<Benchmark> {
  const load = BENCHMARKS[name];
  if (!load) throw new Error(`There is no benchmark named "${name}". Benchmarks: ${BENCHMARK_NAMES.join(', ')}`);
  return load();
}
