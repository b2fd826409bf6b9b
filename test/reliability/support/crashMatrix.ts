// Part 1, the crash matrix, for one backend (one file per backend, so the two run side by side).
// Per job: a reference run in a child (uninterrupted; it also counts the moments a kill can land
// on), then 10 kill points drawn from a seeded generator (PASS_RELIABILITY_SEED): the child
// SIGKILLs itself after the nth business read, inside the nth write's open transaction, right
// after the nth commit and before the metadata that follows, in a partition's worker thread,
// just before or just after a report's temp file is renamed, after a delay while its queries are
// slowed, or, for the sending jobs, the parent kills it right after the webhook answered the nth
// send. Kills are spent along chains on fresh clones of one demo gym: run, killed, a recovery
// run (a fresh operator that finds the dead execution by itself: recoverOrphans and the dead
// pid) killed again, ..., until a run completes. Each chain's business tables must then equal
// the reference's row for row, every notification must be delivered at least once and a repeat
// must carry the same idempotency key.
//
// Shown to fail: PASS_RELIABILITY_BREAK=crash swaps in an addPassesJob that inserts passes
// outside its step's transaction (support/brokenJobs.ts); on MariaDB a kill after the insert
// makes the restart grant them again (duplicate key; the restart fails).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isRunning, type BatchStatus, type JobDefinition } from '../../../main/batch/index.ts';
import { passJobs } from '../../../main/pass/jobs/index.ts';
import { keyProblems, startHttpSink, type HttpSink, type SinkRequest } from '../../fixtures/httpSink.ts';
import type { Backend } from '../../support/databases.ts';
import { diffTables, dumpTables, tableSizes, type TableDump } from '../../support/tables.ts';
import { startChild } from './children.ts';
import type { KillKind, KillSpec, MomentCounts } from './crashChild.ts';
import { fixedParameters, gymTemplate, NOW, TIME_ZONE, type GymTemplate } from './gym.ts';
import { between, pick, prng, RELIABILITY_SEED, type Random } from '../../support/prng.ts';

const CHILD = 'test/reliability/support/crashChild.ts';
const TRIALS = 10;
const GYM = { members: 120, days: 10, seed: 7, now: NOW };
/** How long the sink takes to answer: sends are in flight long enough to be killed among. */
const SINK_DELAY_MS = 15;

type Kill = KillSpec | { kind: 'send'; n: number; delayMs: number };

/** Draws one kill point among the moments the reference run went through. */
function drawKill(random: Random, counts: MomentCounts, sent: number, referenceMs: number): Kill {
  const kinds: Array<KillKind | 'send'> = ['timer'];
  for (const [kind, count] of Object.entries(counts) as Array<[Exclude<KillKind, 'timer'>, number]>) if (count > 0) kinds.push(kind);
  if (sent > 0) kinds.push('send');
  const kind = pick(random, kinds);
  // Queries are slowed for a timer kill, so a delay within the reference's run time lands mid-run.
  if (kind === 'timer') return { kind, n: 0, delayMs: between(random, 5, Math.max(20, referenceMs)) };
  if (kind === 'send') return { kind, n: between(random, 1, Math.max(1, sent - 1)), delayMs: between(random, 0, 10) };
  // The last partition event is a worker's last commit: aim before it.
  if (kind === 'worker') return { kind, n: between(random, 1, Math.max(1, counts.worker - 1)), delayMs: between(random, 0, 60) };
  return { kind, n: between(random, 1, counts[kind]), delayMs: 0 };
}

const describeKill = (k: Kill) => (k.kind === 'timer' ? `timer ${k.delayMs}ms` : `${k.kind}#${k.n}${k.delayMs ? `+${k.delayMs}ms` : ''}`);

function deliveredByKey(requests: SinkRequest[]): Map<string, number> {
  const byKey = new Map<string, number>();
  for (const r of requests) if (r.status < 300) byKey.set(r.key ?? '', (byKey.get(r.key ?? '') ?? 0) + 1);
  return byKey;
}

/** Runs the child with one kill; the parent's own kill ('send') watches the sink. */
async function runKilled(url: string, args: string[], kill: Kill | null, sink: HttpSink) {
  const env: Record<string, string | undefined> = {
    PASS_TIME_ZONE: TIME_ZONE,
    PASS_NOTIFIER_WEBHOOK_URL: sink.url,
    PASS_RELIABILITY_KILL: kill && kill.kind !== 'send' ? JSON.stringify(kill) : undefined,
    // a timer lands among slowed queries, not before or after a job that takes milliseconds
    PASS_TEST_QUERY_DELAY_MS: kill?.kind === 'timer' ? '4' : undefined,
  };
  const handle = startChild(CHILD, [url, ...args], env);
  let watch: NodeJS.Timeout | undefined;
  if (kill?.kind === 'send') {
    const before = sink.requests.length;
    watch = setInterval(() => {
      if (sink.requests.length - before >= kill.n) {
        clearInterval(watch);
        setTimeout(handle.kill, kill.delayMs);
      }
    }, 1);
  }
  const result = await handle.done;
  clearInterval(watch);
  return result;
}

/** Two lanes of chains run side by side, each with its own webhook sink. */
const LANES = 2;

export function crashMatrix(backend: Backend): void {
  describe(`crash matrix [${backend}]`, () => {
    const sinks: HttpSink[] = [];
    let template: GymTemplate;
    let reportRoot: string;
    const summary: string[] = [];

    beforeAll(async () => {
      for (let i = 0; i < LANES; i++) sinks.push(await startHttpSink({ delayMs: SINK_DELAY_MS }));
      reportRoot = mkdtempSync(join(tmpdir(), 'pass-rel-crash-'));
      // the children's report folders lie in the operator's (main/batch/folders.ts)
      process.env.PASS_REPORT_DIR = reportRoot;
      template = await gymTemplate(backend, GYM);
    });
    afterAll(async () => {
      await template?.dispose();
      for (const sink of sinks) await sink.close();
      if (reportRoot) rmSync(reportRoot, { recursive: true, force: true });
      console.log(`[crash matrix ${backend}] seed ${RELIABILITY_SEED}\n${summary.join('\n')}`);
    });

    passJobs.forEach((job: JobDefinition<any>, index) => {
      test(`${job.name}: ${TRIALS} SIGKILLs at drawn moments, each restarted without a human, tables equal the uninterrupted run's`, async () => {
        const seed = RELIABILITY_SEED + index * 31 + (backend === 'mysql' ? 1000 : 0);
        const random = prng(seed);

        // The reference: uninterrupted, in a child like the others, counting the moments.
        const a = await template.clone();
        const dirA = join(reportRoot, `${job.name}-reference`);
        mkdirSync(dirA, { recursive: true });
        const sink = sinks[0]!;
        sink.requests.splice(0);
        const reference = await runKilled(a.url, ['run', job.name, ...pairs(fixedParameters(job, dirA))], null, sink);
        const end = reference.lines.find((l) => 'status' in l);
        expect(end?.status, reference.out).toBe('COMPLETED');
        const counts = end!.counts as MomentCounts;
        const sentA = sink.requests.splice(0);
        const expected = await dumpTables(a.db);
        const seeded = await dumpTables(template.source.db);
        expect(diffTables(expected, seeded, 1).length, `${job.name} changed nothing the comparison looks at`).toBeGreaterThan(0);
        const keys = [...(expected.notification?.keys() ?? [])];
        expect([...deliveredByKey(sentA).keys()].sort()).toEqual([...keys].sort());
        expect(sentA.length, 'the reference sent a notification twice').toBe(keys.length);
        await a.dispose();

        // The kills, drawn up front and dealt to the lanes. A lane spends its kills along
        // chains: a clone runs the job, and each kill lands in the next run of the chain (the
        // first run, or a recovery run that found the killed execution by itself). A kill whose
        // moment does not come in a recovery run (less work is left) ends the chain and is
        // tried again as the first kill of a new chain, where the reference says it comes.
        const kills = Array.from({ length: TRIALS }, () => drawKill(random, counts, sentA.length, Number(end!.runMs)));
        let chainCount = 0;
        const lane = async (laneKills: Kill[], sink: HttpSink) => {
          const chains: string[] = [];
          let landed = 0;
          let next = 0;
          while (next < laneKills.length) {
            const b = await template.clone();
            const dirB = join(reportRoot, `${job.name}-${chainCount++}`);
            mkdirSync(dirB, { recursive: true });
            const story: string[] = [];
            sink.requests.splice(0);
            try {
              let executions = 0;
              let fresh = true;
              for (;;) {
                const kill = next < laneKills.length ? laneKills[next]! : null;
                const args = executions === 0 ? ['run', job.name, ...pairs(fixedParameters(job, dirB))] : ['recover', job.name];
                const child = await runKilled(b.url, args, kill, sink);
                executions++;
                if (executions > 1) {
                  // the recovery run found the killed execution without being told its id
                  // (unless the kill came inside recovery itself, before it said so)
                  const recovered = child.lines.find((l) => 'recovered' in l);
                  if (recovered || child.signal !== 'SIGKILL') expect(recovered?.recovered, `${job.name} recovery after ${story.join(', ')}:\n${child.out}`).toHaveLength(1);
                }
                const latest = await b.db.kysely.selectFrom('BATCH_JOB_EXECUTION').select('STATUS').orderBy('JOB_EXECUTION_ID', 'desc').executeTakeFirst();
                if (latest?.STATUS === 'COMPLETED') {
                  if (kill && fresh) {
                    // only a timer, a delayed worker kill or a send kill may come too late in a first run
                    expect(['timer', 'worker', 'send'], `${describeKill(kill)} never came in a first run:\n${child.out}`).toContain(kill.kind);
                    story.push(`${describeKill(kill)} came after the end`);
                    next++;
                  } else if (kill) story.push(`${describeKill(kill)} not reached in recovery`);
                  break;
                }
                expect(child.signal, `${job.name} after ${[...story, kill && describeKill(kill)].join(', ')}: ended ${latest?.STATUS} without a kill:\n${child.out}`).toBe('SIGKILL');
                expect(kill).not.toBeNull();
                story.push(`${fresh ? '' : 'then '}${describeKill(kill!)}`);
                landed++;
                next++;
                fresh = false;
              }
              // every execution but the last was killed and marked FAILED by recovery (a run
              // killed inside recovery, before it created its own, adds none); the last completed
              const history = await b.db.kysely.selectFrom('BATCH_JOB_EXECUTION').select(['STATUS', 'EXIT_MESSAGE']).orderBy('JOB_EXECUTION_ID').execute();
              expect(history.at(-1)?.STATUS).toBe('COMPLETED');
              expect(history.length).toBeLessThanOrEqual(executions);
              for (const f of history.slice(0, -1)) {
                expect(f.STATUS).toBe('FAILED');
                expect(f.EXIT_MESSAGE).toMatch(/Marked FAILED by recovery: the process running it \(pid \d+/);
              }
              const statuses = (await b.db.kysely.selectFrom('BATCH_JOB_EXECUTION').select('STATUS').execute()).map((e) => e.STATUS as BatchStatus);
              expect(statuses.filter((st) => isRunning(st)), 'an execution left running').toEqual([]);

              const differences = diffTables(expected, await dumpTables(b.db));
              expect(differences, `${job.name} after ${story.join(', ')} differs from the uninterrupted run:\n${differences.join('\n')}`).toEqual([]);

              const sentB = sink.requests.splice(0);
              const delivered = deliveredByKey(sentB);
              expect(keys.filter((k) => !delivered.has(k)), `${job.name} after ${story.join(', ')}: never delivered`).toEqual([]);
              expect([...delivered.keys()].filter((k) => !keys.includes(k)), 'delivered without a row').toEqual([]);
              expect(keyProblems(sentB)).toEqual([]);
              const resent = [...delivered.values()].filter((n) => n > 1).length;
              if (resent) story.push(`${resent} sent again under the same key`);
              const leftovers = existsSync(dirB) ? readdirSync(dirB).filter((f) => f.endsWith('.tmp')) : [];
              if (leftovers.length) story.push(`${leftovers.length} temp file(s) left, none listed`);
              chains.push(`[${story.join(', ')}]`);
            } finally {
              await b.dispose();
            }
          }
          return { landed, chains };
        };
        const lanes = await Promise.all(sinks.map((laneSink, i) => lane(kills.filter((_, k) => k % LANES === i), laneSink)));
        const landed = lanes.reduce((sum, l) => sum + l.landed, 0);
        const outcomes = lanes.flatMap((l) => l.chains);
        // precise moments always land; only timers, delayed worker kills and sends may be late
        expect(landed, `only ${landed} of ${TRIALS} kills landed mid-run: ${outcomes.join('; ')}`).toBeGreaterThanOrEqual(TRIALS - 2);
        summary.push(`${job.name} (seed ${seed}, ${landed}/${TRIALS} landed, compared ${JSON.stringify(tableSizes(expected as TableDump))}): ${outcomes.join('; ')}`);
      });
    });
  });
}

const pairs = (params: Record<string, string>) => Object.entries(params).map(([k, v]) => `${k}=${v}`);
