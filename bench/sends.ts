// What the two notification benchmarks share: a local webhook sink in a process of its own
// (bench/sinkServer.mjs) that answers every POST after 20 ms (the job's worker threads reach it
// through PASS_NOTIFIER_WEBHOOK_URL, which they inherit), and the limit's sender: the same
// webhook notifier with as many sends in flight as the job can have, straight from this thread.
// The sink being another process keeps its memory and CPU out of the job's numbers, as a gym's
// SMS relay would be.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { webhookNotifier } from '../main/pass/notify/webhookNotifier.ts';
import type { NotificationEvent } from '../main/pass/schema.ts';
import type { Database } from '../main/batch/index.ts';
import { at, exec, scalar } from './passData.ts';

export const SINK_DELAY_MS = 20;

/**
 * Sends the job can have in flight: the send step's partitions (gridSize 4) run on
 * min(4, cores) threads, each with up to processConcurrency 16 sends at once.
 */
export const JOB_IN_FLIGHT = Math.min(4, availableParallelism()) * 16;

export interface Sink {
  url: string;
  /** 2xx answers since the last reset, and distinct idempotency keys among them */
  stats(): Promise<{ answered: number; distinct: number }>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startSink(delayMs = SINK_DELAY_MS): Promise<Sink> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./sinkServer.mjs', import.meta.url)), String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the sink process exited (${code}) before it listened`)));
    child.stdout.once('data', (data: Buffer) => resolve(Number(String(data).trim())));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    url: `${base}/notify`,
    stats: async () => (await fetch(`${base}/stats`)).json() as Promise<{ answered: number; distinct: number }>,
    reset: async () => {
      await fetch(`${base}/reset`, { method: 'POST' });
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Points the job's notifier (in every worker thread started from now on) at the sink, with no rate limit. */
export async function sinkForJobs(): Promise<{ sink: Sink; teardown: () => Promise<void> }> {
  const sink = await startSink();
  const saved = { url: process.env.PASS_NOTIFIER_WEBHOOK_URL, rate: process.env.PASS_NOTIFIER_RATE_PER_SECOND };
  process.env.PASS_NOTIFIER_WEBHOOK_URL = sink.url;
  delete process.env.PASS_NOTIFIER_RATE_PER_SECOND;
  return {
    sink,
    teardown: async () => {
      await sink.close();
      if (saved.url === undefined) delete process.env.PASS_NOTIFIER_WEBHOOK_URL;
      else process.env.PASS_NOTIFIER_WEBHOOK_URL = saved.url;
      if (saved.rate !== undefined) process.env.PASS_NOTIFIER_RATE_PER_SECOND = saved.rate;
    },
  };
}

type Unsent = { notification_seq: number; event: NotificationEvent; target_key: string; user_id: string; text: string; phone: string | null };

/**
 * The limit's second half: read the unsent rows of `event` (one SELECT), send them all with
 * JOB_IN_FLIGHT in flight, mark them sent with one UPDATE.
 */
export async function sendAllAtOnce(db: Database, sink: Sink, event: NotificationEvent, now: Date): Promise<void> {
  const { rows } = await exec<Unsent>(
    db,
    `SELECT n.notification_seq, n.event, n.target_key, n.user_id, n.text, u.phone FROM notification n LEFT JOIN ${db.dialect === 'mysql' ? '`user`' : '"user"'} u ON u.user_id = n.user_id ` +
      `WHERE n.event = '${event}' AND n.sent = 0 ORDER BY n.notification_seq`,
  );
  const notifier = webhookNotifier({ url: sink.url });
  let next = 0;
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: Math.min(JOB_IN_FLIGHT, rows.length) }, async () => {
      while (next < rows.length) {
        const r = rows[next++]!;
        await notifier.send({ idempotencyKey: `${r.event}:${r.target_key}`, event: r.event, userId: r.user_id, phone: r.phone, text: r.text });
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  lastCpuMsPerSend = rows.length ? (used.user + used.system) / 1000 / rows.length : 0;
  await exec(db, `UPDATE notification SET sent = 1, sent_at = ${at(now)}, attempts = attempts + 1, modified_at = ${at(now)} WHERE event = '${event}' AND sent = 0`);
}

/** Every notification of `event` sent once, and the sink took exactly `items` distinct messages. */
export async function checkSent(db: Database, sink: Sink, event: NotificationEvent, items: number): Promise<string | null> {
  const rows = await scalar(db, `SELECT COUNT(*) FROM notification WHERE event = '${event}'`);
  const sent = await scalar(db, `SELECT COUNT(*) FROM notification WHERE event = '${event}' AND sent = 1 AND attempts = 1 AND sent_at IS NOT NULL`);
  const { answered, distinct } = await sink.stats();
  const problem =
    rows === items && sent === items && distinct === items && answered === items
      ? null
      : `${rows} rows for ${items} items, ${sent} sent once, the sink answered ${answered} requests for ${distinct} distinct messages`;
  await sink.reset();
  return problem;
}

/** The limit by arithmetic, as issue 6 states it: `items` sends at in-flight ÷ the sink's delay. */
export const inFlightSeconds = (items: number) => (items * SINK_DELAY_MS) / 1000 / JOB_IN_FLIGHT;

/** CPU this process spent per send in the last sendAllAtOnce (the client; the sink runs in its own process). */
let lastCpuMsPerSend = 0;

export const inFlightNote = (items: number, seconds: number, measuredLimitSeconds: number) =>
  `baseline = the limit by arithmetic: ${JOB_IN_FLIGHT} sends in flight at most (min(gridSize 4, threads ${Math.min(4, availableParallelism())}) × processConcurrency 16) ÷ ${SINK_DELAY_MS} ms = ` +
  `${Math.round((JOB_IN_FLIGHT * 1000) / SINK_DELAY_MS).toLocaleString('en-US')}/s; measured with no engine (the same notifier, ${JOB_IN_FLIGHT} in flight from one thread, INSERT ... SELECT before and one UPDATE after) ` +
  `${Math.round(items / measuredLimitSeconds).toLocaleString('en-US')}/s in ${measuredLimitSeconds.toFixed(3)} s, at ${lastCpuMsPerSend.toFixed(2)} ms of CPU a send for the client (the sink's process aside), ` +
  `so one loaded core caps it near ${Math.round(1000 / Math.max(lastCpuMsPerSend, 0.001)).toLocaleString('en-US')}/s; the job ${Math.round(items / seconds).toLocaleString('en-US')}/s`;
