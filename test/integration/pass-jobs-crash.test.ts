// Every pass job, killed with SIGKILL at random points and restarted, leaves the same business
// tables as an uninterrupted run (issue 3's acceptance). Per job and backend: two databases
// seeded with the same demo gym; A runs the job in this process; B runs it in a child process
// that is killed a few times at delays drawn from a seeded generator, each kill followed by a
// restart, and this process restarts it to the end. Then A and B are compared row by row, and
// the notifications the webhook sink received are checked: every row delivered, and a row sent
// again after a kill sent under the same idempotency key.
//
// The child slows each of its queries by a few milliseconds (PASS_TEST_QUERY_DELAY_MS), so even
// the jobs that take milliseconds on 400 members are killed part way, not only before or after;
// the sink answers slowly, and a child that sends is killed just after its first answer, while
// the rest of that chunk is in flight and not yet marked sent. PASS_TEST_CRASH_SEED picks other
// kill points; each job prints the seed, where every kill landed and what was compared.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { isRunning, JobOperator, type Database, type JobDefinition, type ParameterSpec, type StepExecution } from '../../main/batch/index.ts';
import { seedDemoGym } from '../../main/pass/demo/demoGym.ts';
import { passJobs } from '../../main/pass/jobs/index.ts';
import { prng } from '../support/prng.ts';
import { keyProblems, startHttpSink, type HttpSink, type SinkRequest } from '../fixtures/httpSink.ts';
import { describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { diffTables, dumpTables, tableSizes, type TableDump } from '../support/tables.ts';

const CHILD = 'test/fixtures/runPassJobChild.ts';
const TIME_ZONE = 'Asia/Seoul';
/** 2026-03-10 (a Tuesday) 09:52 in Seoul: classes start at 10:00, yesterday has bookings. */
const NOW = new Date('2026-03-10T00:52:00.000Z');
const HISTORY_DAYS = 30;
const GYM = { members: 400, days: HISTORY_DAYS, seed: 7, now: NOW };
const CRASH_SEED = Number(process.env.PASS_TEST_CRASH_SEED ?? 20260310);
/** how long the child's every query waits after it returns */
const QUERY_DELAY_MS = 10;
/**
 * One kill per window, in ms after the child says the execution started: the first lands
 * early in every job, the later ones spread over the longer jobs' worker-thread steps. A child
 * that finished before its kill simply ran to the end.
 */
const KILL_WINDOWS: ReadonlyArray<readonly [number, number]> = [
  [10, 80],
  [20, 600],
  [600, 4000],
];
/** How long the sink takes to answer: sends are in flight long enough to be killed among. */
const SINK_DELAY_MS = 100;
/** After the first answered send of a child, it is killed within this many ms (drawn). */
const SEND_KILL_WINDOW: readonly [number, number] = [0, 80];

/**
 * Fixed values for every parameter that would otherwise come from the clock, so both runs see
 * the same moment; a job that grows a date parameter this test does not know fails here, loudly.
 */
function fixedParameters(job: JobDefinition<any>, reportDir: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, spec] of Object.entries(job.params as Record<string, ParameterSpec>)) {
    if (spec.type === 'dateTime') {
      if (name === 'now') params[name] = NOW.toISOString();
      else if (name === 'from') params[name] = new Date(NOW.getTime() - HISTORY_DAYS * 86_400_000).toISOString();
      else if (name === 'to') params[name] = NOW.toISOString();
      else throw new Error(`${job.name} has a date parameter "${name}" this test has no fixed value for: add one to fixedParameters`);
    }
    if (name === 'reportDir') params[name] = reportDir;
  }
  return params;
}

interface ChildOutcome {
  executionId: number;
  signal: NodeJS.Signals | null;
  code: number | null;
  /** what set off the kill, if one was sent */
  killedBy?: string;
  out: string;
}

/**
 * Starts the child and kills it `afterStartMs` after its "started" line, or, when it sends
 * notifications before that, `afterSendMs` after the sink answered its first one (the rows of
 * that chunk are then sent and not yet marked sent: the restart must send them again under the
 * same keys). A child that ends first is left alone.
 */
function runAndKill(url: string, args: string[], sink: HttpSink, afterStartMs: number, afterSendMs: number): Promise<ChildOutcome> {
  const child = spawn(process.execPath, ['bin/run-ts.mjs', CHILD, url, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PASS_TEST_QUERY_DELAY_MS: String(QUERY_DELAY_MS), PASS_TIME_ZONE: TIME_ZONE },
  });
  let out = '';
  let executionId: number | undefined;
  let killedBy: string | undefined;
  const timers: NodeJS.Timeout[] = [];
  const kill = (why: string) => {
    if (killedBy || child.exitCode !== null || child.signalCode !== null) return;
    killedBy = why;
    child.kill('SIGKILL');
  };
  const sentBefore = sink.requests.length;
  const watchSends = setInterval(() => {
    if (sink.requests.length > sentBefore) {
      clearInterval(watchSends);
      timers.push(setTimeout(() => kill(`${afterSendMs} ms after its first send was answered`), afterSendMs));
    }
  }, 2);
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const started = /\{"started":(\d+)\}/.exec(out);
      if (started && executionId === undefined) {
        executionId = Number(started[1]);
        timers.push(setTimeout(() => kill(`${afterStartMs} ms after it started`), afterStartMs));
      }
    });
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearInterval(watchSends);
      for (const timer of timers) clearTimeout(timer);
      if (executionId === undefined) reject(new Error(`the child ended (code ${code}, signal ${signal}) before starting an execution:\n${out}`));
      else resolve({ executionId, signal, code, killedBy, out });
    });
  });
}

/** Where a killed execution had got to: its steps, partitions counted, not listed. */
function progressOf(steps: StepExecution[]): string {
  if (!steps.length) return 'no step started';
  const partitions = steps.filter((s) => s.stepName.includes(':'));
  return steps
    .filter((s) => !s.stepName.includes(':'))
    .map((s) => {
      const own = partitions.filter((p) => p.stepName.startsWith(`${s.stepName}:`));
      const done = own.filter((p) => p.status === 'COMPLETED').length;
      return `${s.stepName} ${s.status} ${s.commitCount}c/${s.writeCount}w${own.length ? ` (${done}/${own.length} partitions done)` : ''}`;
    })
    .join(', ');
}

const operatorFor = (database: Database) => new JobOperator({ database, jobs: passJobs, timeZone: TIME_ZONE });

/** Idempotency keys the notification rows should have been sent under. */
const notificationKeys = (dump: TableDump) => [...(dump.notification?.keys() ?? [])];

function deliveredByKey(requests: SinkRequest[]): Map<string, SinkRequest[]> {
  const byKey = new Map<string, SinkRequest[]>();
  for (const r of requests) if (r.status < 300) byKey.set(r.key ?? '', [...(byKey.get(r.key ?? '') ?? []), r]);
  return byKey;
}

describeEachBackend('pass jobs killed with SIGKILL and restarted', (backend) => {
  let sink: HttpSink;
  let reportRoot: string;
  let dataDirBefore: string | undefined;
  beforeAll(async () => {
    sink = await startHttpSink({ delayMs: SINK_DELAY_MS });
    // This process's restarts (worker threads copy the environment) and the children send here.
    process.env.PASS_NOTIFIER_WEBHOOK_URL = sink.url;
    reportRoot = mkdtempSync(join(tmpdir(), 'pass-crash-reports-'));
    process.env.PASS_REPORT_DIR = join(reportRoot, 'default');
    // the report folders below lie in the data folder (main/batch/folders.ts), here and in the children
    dataDirBefore = process.env.PASS_DATA_DIR;
    process.env.PASS_DATA_DIR = reportRoot;
  });
  afterAll(async () => {
    await sink?.close();
    delete process.env.PASS_NOTIFIER_WEBHOOK_URL;
    delete process.env.PASS_REPORT_DIR;
    if (dataDirBefore === undefined) delete process.env.PASS_DATA_DIR;
    else process.env.PASS_DATA_DIR = dataDirBefore;
    if (reportRoot) rmSync(reportRoot, { recursive: true, force: true });
  });

  passJobs.forEach((job, index) => {
    test(`${job.name}: killed at random points and restarted, its tables equal an uninterrupted run's`, async () => {
      const seed = CRASH_SEED + index + (backend === 'mysql' ? 100 : 0);
      const random = prng(seed);
      const dirA = join(reportRoot, `${job.name}-A`);
      const dirB = join(reportRoot, `${job.name}-B`);
      mkdirSync(dirA, { recursive: true });
      mkdirSync(dirB, { recursive: true });
      const databases: TestDatabase[] = [];
      const operators: JobOperator[] = [];
      try {
        const a = await freshDatabase(backend);
        databases.push(a);
        const b = await freshDatabase(backend);
        databases.push(b);
        await seedDemoGym(a.db, GYM);
        await seedDemoGym(b.db, GYM);

        // A: uninterrupted, in this process.
        sink.requests.splice(0);
        const operatorA = operatorFor(a.db);
        operators.push(operatorA);
        const uninterrupted = await operatorA.run(job.name, fixedParameters(job, dirA));
        expect(uninterrupted.status, uninterrupted.exitMessage).toBe('COMPLETED');
        const writtenA = (await operatorA.repository.stepExecutions(uninterrupted.id)).reduce((sum, s) => sum + s.writeCount, 0);
        // the demo gym gives every job work, so the comparison below compares something
        expect(writtenA, `${job.name} wrote nothing in the demo gym`).toBeGreaterThan(0);
        const sentA = sink.requests.splice(0);

        const seeded = await dumpTables(b.db);
        // B: killed in a child, restarted in a child, killed again..., finished here.
        const operatorB = operatorFor(b.db);
        operators.push(operatorB);
        const kills: string[] = [];
        let midRunKills = 0;
        let latest: number | undefined;
        let completed = false;
        for (const [lo, hi] of KILL_WINDOWS) {
          const delay = lo + Math.floor(random() * (hi - lo + 1));
          const afterSend = SEND_KILL_WINDOW[0] + Math.floor(random() * (SEND_KILL_WINDOW[1] - SEND_KILL_WINDOW[0] + 1));
          const args = latest === undefined ? ['run', job.name, ...Object.entries(fixedParameters(job, dirB)).map(([k, v]) => `${k}=${v}`)] : ['restart', String(latest)];
          const child = await runAndKill(b.url, args, sink, delay, afterSend);
          latest = child.executionId;
          const execution = await operatorB.execution(latest);
          if (execution.status === 'COMPLETED') {
            kills.push(`not killed (${delay} ms after start was too late)`);
            completed = true;
            break;
          }
          expect(child.signal, `the child ended by itself without completing:\n${child.out}`).toBe('SIGKILL');
          expect(isRunning(execution.status), `killed execution ${latest} is ${execution.status}`).toBe(true);
          midRunKills++;
          kills.push(`killed ${child.killedBy} (${progressOf(await operatorB.repository.stepExecutions(latest))})`);
        }
        if (!completed) {
          const restarted = await (await operatorB.restart(latest!)).done;
          expect(restarted.status, restarted.exitMessage).toBe('COMPLETED');
          const killed = await operatorB.execution(latest!);
          expect(killed.status).toBe('FAILED');
          expect(killed.exitMessage).toMatch(/Marked FAILED by recovery/);
        }
        const sentB = sink.requests.splice(0);
        // At least the first, early kill must land while the job is running.
        expect(midRunKills, `no kill landed mid-run: ${kills.join('; ')}`).toBeGreaterThan(0);

        const [expected, actual] = [await dumpTables(a.db), await dumpTables(b.db)];
        // the comparison sees what the job did (no column it changes is left out)...
        expect(diffTables(expected, seeded, 1).length, `${job.name} changed nothing the comparison looks at`).toBeGreaterThan(0);
        // ...and after the kills and restarts, nothing else
        const differences = diffTables(expected, actual);
        expect(differences, `${job.name} after kills (${kills.join('; ')}) differs from an uninterrupted run:\n${differences.join('\n')}`).toEqual([]);

        // Notifications: A sent each row once; B sent each row at least once, a repeat under the same key.
        const keys = notificationKeys(expected);
        const deliveredA = deliveredByKey(sentA);
        const deliveredB = deliveredByKey(sentB);
        expect([...deliveredA.keys()].sort()).toEqual([...keys].sort());
        expect([...deliveredA.values()].filter((r) => r.length !== 1)).toEqual([]);
        expect(keys.filter((k) => !deliveredB.has(k)), 'rows never delivered after the kills').toEqual([]);
        expect([...deliveredB.keys()].filter((k) => !keys.includes(k)), 'keys delivered without a row').toEqual([]);
        expect(keyProblems(sentA)).toEqual([]);
        expect(keyProblems(sentB)).toEqual([]);
        const resent = [...deliveredB.values()].filter((r) => r.length > 1).length;

        console.log(
          `[crash ${backend}] ${job.name} (seed ${seed}): ${kills.join('; ')}; ` +
            `${keys.length ? `${keys.length} notifications, ${resent} sent again after a kill; ` : ''}` +
            `compared ${JSON.stringify(tableSizes(expected))}`,
        );
      } finally {
        for (const operator of operators) await operator.close().catch(() => undefined);
        for (const database of databases) await database.dispose();
      }
    });
  });
});
