// The outbox's second half, shared by both notification jobs: unsent rows of one event are
// split into notification_seq ranges, each range is a partition on a Piscina worker thread,
// and within a partition up to `processConcurrency` sends are in flight at once. A send is
// tried a few times with backoff inside the processor; the chunk's writer then marks the
// sent rows and counts attempts and the last error on the others, in the chunk's transaction.
// A crash between a send and its chunk's commit resends once, under the same idempotency key.
import { availableParallelism } from 'node:os';
import { sql, type Kysely } from 'kysely';
import { chunkStep, exponentialBackoff, keysetReader, numberParam, partitionedStep, retry, toDbTime, type PartitionedStep, type ValuesOf } from '../../batch/index.ts';
import type { NotificationEvent } from '../schema.ts';
import { configuredNotifierSettings, notifierFromSettings, type NotifierSettings } from './fromEnv.ts';
import type { Notifier } from './notifier.ts';
import { workerFile } from '../workerFiles.ts';

/** The worker module that knows both notification jobs (workers/notificationWorker.ts). */
export const notificationWorkerFile = workerFile('notificationWorker');

/** Parameters every sending job takes; tuning only, so none of them names the instance. */
export const sendParams = {
  maxAttempts: numberParam({
    default: 5,
    integer: true,
    min: 1,
    max: 100,
    identifying: false,
    description: { ko: '알림 한 건당 최대 발송 시도 횟수', en: 'Send attempts per notification before it is left unsent' },
  }),
  backoffMs: numberParam({
    default: 500,
    integer: true,
    min: 0,
    max: 60_000,
    identifying: false,
    description: { ko: '재시도 전 대기 시간(ms, 매번 두 배)', en: 'Wait before a retry in ms, doubling each time' },
  }),
};

export type SendParams = ValuesOf<typeof sendParams>;

/** How many times one run tries a row at most; further attempts wait for the next run. */
const TRIES_PER_RUN = 3;

type UnsentRow = {
  notification_seq: number;
  event: NotificationEvent;
  target_key: string;
  user_id: string;
  text: string;
  attempts: number;
  phone: string | null;
  /** the booking's start and status now, read with the row when the step checks it (`outdated`) */
  booking_started_at?: string | null;
  booking_status?: string | null;
};

interface SendOutcome {
  notification_seq: number;
  tries: number;
  sent: boolean;
  error?: string;
  /** not sent and never to be: the row no longer says what is true (`outdated`) */
  withdrawn?: boolean;
}

export interface SendStepOptions {
  name: string;
  /** the step's title (ko/en), as the console shows it */
  title?: { ko: string; en: string };
  event: NotificationEvent;
  /** partitions (key ranges) per run (default 4) */
  gridSize?: number;
  /** worker threads (default: min(4, cores)) */
  maxThreads?: number;
  /** sends in flight within one partition (default 16) */
  processConcurrency?: number;
  chunkSize?: number;
  /**
   * A row that no longer says what is true, checked just before it would be sent, against its
   * booking's start and status as they are now (read with the row): withdrawn instead, deleted
   * unsent, never sent. A class reminder written for a start its class has since been moved from,
   * or for a booking since cancelled (BEFORE_CLASS).
   */
  outdated?: (row: { target_key: string; booking_started_at: string | null; booking_status: string | null }) => boolean;
}

// One notifier per worker thread and configuration, so that the partitions a thread runs one
// after another share its rate limit; a configuration saved since gets a notifier of its own.
const threadNotifiers = new Map<string, Notifier>();

function threadNotifier(settings: NotifierSettings, share: number): Notifier {
  const key = JSON.stringify(settings);
  let notifier = threadNotifiers.get(key);
  if (!notifier) {
    if (threadNotifiers.size >= 8) threadNotifiers.clear();
    notifier = notifierFromSettings(settings, share);
    threadNotifiers.set(key, notifier);
  }
  return notifier;
}

export function sendNotificationsStep(options: SendStepOptions): PartitionedStep<SendParams> {
  const gridSize = options.gridSize ?? 4;
  const maxThreads = options.maxThreads ?? Math.min(4, availableParallelism());
  const unsent = (db: Kysely<any>, event: NotificationEvent, maxAttempts: number) =>
    db.selectFrom('notification').where('event', '=', event).where('sent', '=', 0).where('attempts', '<', maxAttempts);

  return partitionedStep<SendParams>({
    name: options.name,
    title: options.title,
    workers: { filename: notificationWorkerFile, maxThreads },
    partitioner: async ({ db, params }) => {
      const row = await unsent(db.kysely, options.event, params.maxAttempts)
        .select((eb) => [eb.fn.min('notification_seq').as('lo'), eb.fn.max('notification_seq').as('hi')])
        .executeTakeFirst();
      if (row?.lo === null || row?.lo === undefined) return [];
      const lo = Number(row.lo);
      const hi = Number(row.hi);
      const size = Math.ceil((hi - lo + 1) / gridSize);
      const ranges = [];
      for (let from = lo; from <= hi; from += size) ranges.push({ minSeq: from, maxSeq: Math.min(hi, from + size - 1) });
      return ranges;
    },
    step: chunkStep<SendParams, UnsentRow, SendOutcome>({
      name: `${options.name}Partition`,
      // 400 rows a chunk keep the 16 lanes busy for 25 rounds before the chunk drains and
      // commits (100 gave 7 rounds, the last one part-empty: ≤ 89 % use of the window).
      chunkSize: options.chunkSize ?? 400,
      processConcurrency: options.processConcurrency ?? 16,
      // A slow webhook (1.5 s an answer) would hold one chunk for 40 s: the counts on the screen
      // stood still and a stop waited for it. Sends are taken as lanes free up, a chunk closes a
      // second after it began, and a stop ends it after the sends already under way.
      chunkTimeoutMs: 1000,
      reader: ({ db, params, executionContext }) => {
        const { minSeq, maxSeq } = executionContext as { minSeq: number; maxSeq: number };
        return keysetReader<UnsentRow>({
          db: db.kysely,
          query: (k) => {
            const rows = k
              .selectFrom('notification')
              .leftJoin('user', 'user.user_id', 'notification.user_id')
              .select(['notification.notification_seq', 'notification.event', 'notification.target_key', 'notification.user_id', 'notification.text', 'notification.attempts', 'user.phone'])
              .where('notification.event', '=', options.event)
              .where('notification.sent', '=', 0)
              .where('notification.attempts', '<', params.maxAttempts)
              .where('notification.notification_seq', '>=', minSeq)
              .where('notification.notification_seq', '<=', maxSeq);
            return options.outdated ? rows.leftJoin('booking', 'booking.booking_seq', 'notification.booking_seq').select(['booking.started_at as booking_started_at', 'booking.status as booking_status']) : rows;
          },
          key: 'notification_seq',
          keyColumn: 'notification.notification_seq',
          pageSize: 500,
        });
      },
      processor: ({ db, params, signal }) => {
        // Read when the partition starts, on the thread's own connection: the notifier saved in
        // the console (else the environment's) as it is now, so a change applies to the next
        // run and to a restart. Not carried in the partition's execution context: a restart
        // replays that context, and managers can read it while the webhook address is the admin's.
        const ready = configuredNotifierSettings(db.kysely).then((settings) => threadNotifier(settings, maxThreads));
        ready.catch(() => undefined); // a failed read fails the partition at its first item, nothing else
        return async (row) => {
          if (options.outdated?.({ target_key: row.target_key, booking_started_at: row.booking_started_at ?? null, booking_status: row.booking_status ?? null })) {
            return { notification_seq: Number(row.notification_seq), tries: 0, sent: false, withdrawn: true };
          }
          const notifier = await ready;
          const allowed = Math.min(TRIES_PER_RUN, params.maxAttempts - Number(row.attempts));
          let tries = 0;
          const send = () => {
            tries++;
            return notifier.send({
              idempotencyKey: `${row.event}:${row.target_key}`,
              event: row.event,
              userId: row.user_id,
              phone: row.phone,
              text: row.text,
            });
          };
          try {
            // Up to `allowed` tries this run, backing off between them; a stop ends the tries.
            await retry(send, { retries: Math.max(allowed - 1, 0), retryOn: () => !signal.aborted, backoff: exponentialBackoff(params.backoffMs) });
            return { notification_seq: Number(row.notification_seq), tries, sent: true };
          } catch (e) {
            return { notification_seq: Number(row.notification_seq), tries, sent: false, error: String((e as Error)?.message ?? e).slice(0, 1000) };
          }
        };
      },
      writer: () => ({
        async write(outcomes, tx) {
          const now = toDbTime(new Date());
          const sentByTries = new Map<number, number[]>();
          for (const o of outcomes) if (o.sent) sentByTries.set(o.tries, [...(sentByTries.get(o.tries) ?? []), o.notification_seq]);
          for (const [tries, seqs] of sentByTries) {
            await tx
              .updateTable('notification')
              .set({ sent: 1, sent_at: now, attempts: sql`attempts + ${tries}`, modified_at: now })
              .where('notification_seq', 'in', seqs)
              .execute();
          }
          // withdrawn: never sent, so nothing is lost by deleting the row (still unsent, as read)
          const withdrawn = outcomes.filter((o) => o.withdrawn).map((o) => o.notification_seq);
          if (withdrawn.length) await tx.deleteFrom('notification').where('notification_seq', 'in', withdrawn).where('sent', '=', 0).execute();
          for (const o of outcomes) {
            if (o.sent || o.withdrawn) continue;
            await tx
              .updateTable('notification')
              .set({ attempts: sql`attempts + ${o.tries}`, last_error: o.error ?? null, modified_at: now })
              .where('notification_seq', '=', o.notification_seq)
              .execute();
          }
        },
      }),
    }),
  });
}
