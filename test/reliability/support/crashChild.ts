// A pass job in a process of its own that kills itself with SIGKILL at one chosen moment, so
// the crash matrix can land its kills exactly where it means to: after the nth business read
// returns, after the nth business write ran inside its open transaction, right after the nth
// transaction committed (before anything else, metadata included, is written), in the middle of
// a partition's worker thread, just before or just after a report's temp file is renamed, or
// after a plain delay. Without a kill it counts those moments, so a reference run says how many
// there are to draw from.
//
//   crashChild.ts <dbUrl> run <job> [name=value...]
//   crashChild.ts <dbUrl> recover <job>      recoverOrphans(), then restart what it recovered
//
// PASS_RELIABILITY_KILL='{"kind":"write","n":3,"delayMs":0}' picks the moment. Prints
// {"started": id} once the execution is recorded, {"recovered": [ids]} for recover, and at the
// end {"id", "status", "exitMessage", "counts"}. Exit 0 COMPLETED, 1 otherwise, 3 refused.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import type { Kysely, KyselyPlugin } from 'kysely';
import { BatchError, JobOperator, openDatabase, type Database, type Launched } from '../../../main/batch/index.ts';
import type { TransactionScope } from '../../../main/batch/database/connection.ts';
import { jobsUnderTest } from './brokenJobs.ts';
import { classify } from './queries.ts';

export type KillKind = 'read' | 'write' | 'commit' | 'timer' | 'worker' | 'rename-before' | 'rename-after';
export interface KillSpec {
  kind: KillKind;
  /** the nth moment of that kind (1-based); for 'timer' unused */
  n: number;
  /** wait this long after the moment before the kill (ms) */
  delayMs?: number;
}
export type MomentCounts = Record<Exclude<KillKind, 'timer'>, number>;

function die(): never {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

function main() {
  const [url, command, target, ...pairs] = process.argv.slice(2);
  if (!url || (command !== 'run' && command !== 'recover') || !target) {
    console.error(`usage: crashChild.ts <dbUrl> run <job> [name=value...] | <dbUrl> recover <job> (got ${JSON.stringify(process.argv.slice(2))})`);
    process.exit(2);
  }
  const kill: KillSpec | null = process.env.PASS_RELIABILITY_KILL ? (JSON.parse(process.env.PASS_RELIABILITY_KILL) as KillSpec) : null;
  const queryDelayMs = Number(process.env.PASS_TEST_QUERY_DELAY_MS ?? 0);
  const counts: MomentCounts = { read: 0, write: 0, commit: 0, worker: 0, 'rename-before': 0, 'rename-after': 0 };
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  /** Counts a moment; when it is the chosen one, dies (at once, or after the delay). */
  let pendingKill: NodeJS.Timeout | undefined;
  const moment = (kind: Exclude<KillKind, 'timer'>) => {
    counts[kind]++;
    if (kill?.kind !== kind || counts[kind] !== kill.n) return;
    if (kill.delayMs) pendingKill = setTimeout(die, kill.delayMs);
    else die();
  };

  // Report renames: csvFileWriter imports renameSync from node:fs; the live binding follows.
  const renameSync = fs.renameSync;
  fs.renameSync = (from: fs.PathLike, to: fs.PathLike) => {
    const isReport = String(to).endsWith('.csv') && String(from).endsWith('.tmp');
    if (isReport) moment('rename-before');
    renameSync(from, to);
    if (isReport) moment('rename-after');
  };
  syncBuiltinESMExports();

  const kinds = new Map<string, { table: string | null; writes: boolean }>();
  const observe: KyselyPlugin = {
    transformQuery: (args) => {
      kinds.set(args.queryId.queryId, classify(args.node));
      return args.node;
    },
    transformResult: async (args) => {
      const kind = kinds.get(args.queryId.queryId);
      kinds.delete(args.queryId.queryId);
      if (queryDelayMs) await sleep(queryDelayMs);
      if (kind?.table && !kind.table.startsWith('BATCH_')) moment(kind.writes ? 'write' : 'read');
      return args.result;
    },
  };

  /** The kysely with the plugin, and every transaction's commit observed as it returns. */
  const withCommits = (kysely: Kysely<any>): Kysely<any> =>
    new Proxy(kysely, {
      get(k, prop) {
        if (prop === 'transaction') {
          return () => {
            const builder = k.transaction();
            return new Proxy(builder, {
              get(b, p) {
                if (p === 'execute') {
                  return async (work: (tx: any) => Promise<unknown>) => {
                    const result = await b.execute(work);
                    moment('commit');
                    return result;
                  };
                }
                const value = Reflect.get(b, p, b);
                return typeof value === 'function' ? value.bind(b) : value;
              },
            });
          };
        }
        const value = Reflect.get(k, prop, k);
        return typeof value === 'function' ? value.bind(k) : value;
      },
    });

  return (async () => {
    const opened = await openDatabase(url);
    const observed = opened.kysely.withPlugin(observe);
    const db: Database = {
      ...opened,
      kysely: withCommits(observed),
      // A chunk's transaction (Database.transaction, past kysely.transaction on SQLite): its writes
      // observed through `observed`, its commit as it returns, once.
      transaction: async <T,>(work: (tx: TransactionScope) => Promise<T>): Promise<T> => {
        const result = await opened.transaction.call<Database, [typeof work], Promise<T>>({ ...opened, kysely: observed }, work);
        moment('commit');
        return result;
      },
      close: () => opened.close(),
    };
    const operator = new JobOperator({ database: db, jobs: jobsUnderTest(), timeZone: process.env.PASS_TIME_ZONE?.trim() || 'Asia/Seoul' });
    // Partition steps run on worker threads this process does not instrument; their starts and
    // chunk commits come back as events, and a kill then lands while the threads work.
    operator.events.subscribe((event) => {
      if ((event.type === 'step-started' || event.type === 'chunk-committed') && event.step.stepName.includes(':partition')) moment('worker');
    });
    const params = Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
    try {
      let launched: Launched;
      if (command === 'run') {
        await operator.recoverOrphans();
        launched = await operator.start(target, params, { launchedBy: 'reliability' });
      } else {
        // What a desk does at start: recover orphans (dead pid, or lease run out), and restart
        // the job's execution that recovery marked FAILED, found by itself, never told its id.
        // (A run killed just after recovery committed left it FAILED with no orphan to find.)
        await operator.recoverOrphans();
        const [latest] = (await operator.explorer.listJobExecutions({ jobName: target, pageSize: 1 })).executions;
        const recovered = latest?.status === 'FAILED' && /Marked FAILED by recovery/.test(latest.exitMessage) ? [latest] : [];
        console.log(JSON.stringify({ recovered: recovered.map((e) => e.id) }));
        if (recovered.length !== 1) throw new Error(`expected one execution of ${target} to recover, found ${recovered.length}`);
        launched = await operator.restart(recovered[0]!.id, { launchedBy: 'reliability' });
      }
      const startedAt = Date.now();
      console.log(JSON.stringify({ started: launched.execution.id }));
      if (kill?.kind === 'timer') pendingKill = setTimeout(die, kill.delayMs ?? 0);
      const execution = await launched.done;
      // a kill that had not come by the end does not come: the run was not interrupted
      clearTimeout(pendingKill);
      console.log(JSON.stringify({ id: execution.id, status: execution.status, exitMessage: execution.exitMessage, counts, runMs: Date.now() - startedAt }));
      process.exitCode = execution.status === 'COMPLETED' ? 0 : 1;
    } catch (error) {
      console.log(JSON.stringify({ refused: (error as BatchError).code ?? null, message: (error as Error).message }));
      process.exitCode = 3;
    } finally {
      await operator.close();
      await db.close();
    }
  })();
}

await main();
