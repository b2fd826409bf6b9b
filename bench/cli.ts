// How fast the command line starts and runs a job (issue 15 item 3): `pass-batch jobs` and
// `pass-batch run expirePassesJob` on the demo gym, each as a shell runs it (a process of its
// own, wall time), from the bundle (out/cli/cli.mjs, bin/build-cli.mjs) and from source through
// tsx (PASS_FROM_SOURCE=1, what every run cost before). Baseline: `node -e 0`, the least any Node
// command costs, timed in the same run, interleaved with the others so load hits them alike.
// Goals: `jobs` ≤ 3× `node -e 0`; `run expirePassesJob` on the demo gym ≤ 1 s.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli, bundleState } from '../bin/build-cli.mjs';
import { row, type Benchmark, type BenchRow, type Scale } from './benchmark.ts';
import { log, median, round } from './support.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'pass-batch.mjs');

/** timed runs of each command from the bundle (from source: a third, at least 2) */
const RUNS: Record<Scale, number> = { small: 5, default: 11, full: 21 };

interface Timed {
  seconds: number;
  stdout: string;
}

function timeCommand(args: string[], env: NodeJS.ProcessEnv): Timed {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr.trim().split('\n')[0]}`);
  return { seconds, stdout: result.stdout };
}

/** Items a run read, summed over the summary table's step rows (`<step> COMPLETED <read> ...`). */
function itemsRead(stdout: string): number {
  return [...stdout.matchAll(/^\s*\S+Step\s+COMPLETED\s+([\d,]+)/gm)].reduce((sum, m) => sum + Number(m[1]!.replace(/,/g, '')), 0);
}

const benchmark: Benchmark = {
  name: 'cli',
  description: 'pass-batch jobs and run expirePassesJob on the demo gym, from the bundle and from source, against node -e 0',
  async run(scale) {
    const runs = RUNS[scale];
    const sourceRuns = Math.max(2, Math.round(runs / 3));
    const dir = mkdtempSync(join(tmpdir(), 'pc-bench-cli-'));
    const seeded = join(dir, 'seeded.sqlite');
    const gym = join(dir, 'gym.sqlite');
    const bundled: NodeJS.ProcessEnv = { ...process.env, PASS_DB_URL: `sqlite:${gym}`, PASS_FROM_SOURCE: '' };
    const fromSource: NodeJS.ProcessEnv = { ...bundled, PASS_FROM_SOURCE: '1' };
    try {
      const state = bundleState();
      let buildNote = 'the bundle was fresh';
      if (!state.fresh) {
        const start = process.hrtime.bigint();
        await buildCli();
        buildNote = `the bundle was built first (${state.reason}) in ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(2)} s, as the first run after a change does`;
      }
      log(`cli: ${buildNote}`);
      timeCommand([BIN, 'seed'], { ...bundled, PASS_DB_URL: `sqlite:${seeded}` });

      const nodeAlone: number[] = [];
      const jobs: number[] = [];
      const jobsSource: number[] = [];
      const expire: number[] = [];
      const expireSource: number[] = [];
      let items = 0;
      /** Every run of the job starts from the freshly seeded gym, so each has the same work. */
      const runExpire = (env: NodeJS.ProcessEnv) => {
        copyFileSync(seeded, gym);
        rmSync(`${gym}-wal`, { force: true });
        rmSync(`${gym}-shm`, { force: true });
        const timed = timeCommand([BIN, 'run', 'expirePassesJob'], env);
        items = itemsRead(timed.stdout);
        return timed.seconds;
      };
      copyFileSync(seeded, gym);
      // Warm-up: the file system cache holds node, the bundle and node_modules for everyone alike.
      timeCommand(['-e', '0'], bundled);
      timeCommand([BIN, 'jobs'], bundled);
      for (let i = 0; i < runs; i++) {
        nodeAlone.push(timeCommand(['-e', '0'], bundled).seconds);
        copyFileSync(seeded, gym);
        jobs.push(timeCommand([BIN, 'jobs'], bundled).seconds);
        expire.push(runExpire(bundled));
        if (i < sourceRuns) {
          copyFileSync(seeded, gym);
          jobsSource.push(timeCommand([BIN, 'jobs'], fromSource).seconds);
          expireSource.push(runExpire(fromSource));
        }
      }
      const node = median(nodeAlone);
      const rowOf = (job: string, times: number[], note: string, n: number | null = null): BenchRow => {
        const seconds = median(times);
        log(`cli: ${job} ${seconds.toFixed(3)} s (${(seconds / node).toFixed(2)}× node -e 0, ${node.toFixed(3)} s)`);
        return row({
          job,
          db: 'sqlite',
          items: n,
          seconds: round(seconds, 3),
          itemsPerSecond: n === null ? null : Math.round(n / seconds),
          ratioToLimit: round(seconds / node, 2),
          baselineSeconds: round(node, 3),
          note: `median of ${times.length} runs (min ${Math.min(...times).toFixed(3)} s, max ${Math.max(...times).toFixed(3)} s), wall time of the process; baseline node -e 0 (median of ${nodeAlone.length}); ${note}`,
        });
      };
      return [
        rowOf('pass-batch jobs (bundle)', jobs, `goal ≤ 3× node -e 0; ${buildNote}`),
        rowOf('pass-batch jobs (source, tsx)', jobsSource, 'PASS_FROM_SOURCE=1: what every run cost before the bundle'),
        rowOf('pass-batch run expirePassesJob (bundle)', expire, 'demo gym (pass-batch seed: 2,000 members), a fresh copy each run; items = passes expired + started; goal ≤ 1 s', items),
        rowOf('pass-batch run expirePassesJob (source, tsx)', expireSource, 'as above, PASS_FROM_SOURCE=1', items),
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default benchmark;
