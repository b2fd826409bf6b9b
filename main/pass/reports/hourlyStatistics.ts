// Hour buckets of bookings (all, attended, cancelled), always recomputed whole from the booking
// table and upserted as absolute numbers: building a window twice, two overlapping windows, or
// a chunk retried after a rollback all leave the same rows. Adding per-chunk increments would
// double them (the reference implementation did).
//
// Every hour built has a row, an hour without bookings one of zeros, so "aggregated, nothing
// happened" and "never aggregated" differ: an hour is aggregated when its row was last written
// at or after the hour ended (modified_at), or came from elsewhere without a modified_at (an
// import). An hour built before it ended (a window reaching into the future) is not.
import { DateTime } from 'luxon';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { anHourOrMoreAfter, fromDbTime, toDbTime, toDbTimeBound, type Dialect } from '../../batch/index.ts';

const HOUR = 3_600_000;

/**
 * Minutes past the UTC hour at which the gym's hours begin: 0 for Asia/Seoul, 30 for
 * Asia/Kolkata (+05:30), 15 for Asia/Kathmandu (+05:45: its 09:00 is 03:15 UTC). Taken at `at`;
 * zones whose offset changes by a part of an hour are not handled.
 */
export function hourShiftMinutes(timeZone: string, at: Date): number {
  const offset = DateTime.fromJSDate(at, { zone: timeZone }).offset;
  return ((-offset % 60) + 60) % 60;
}

/** The start of the gym's hour that `at` falls in. */
export function hourBucket(at: Date, shiftMinutes: number): Date {
  const shift = shiftMinutes * 60_000;
  return new Date(Math.floor((at.getTime() - shift) / HOUR) * HOUR + shift);
}

export interface HourCounts {
  statistics_at: string;
  all_count: number;
  attended_count: number;
  cancelled_count: number;
}

/**
 * Where a call building hours from `start` (an hour's start) should stop so that it counts about
 * `maxBookings` bookings: the start of the hour holding the (maxBookings + 1)-th booking ended at
 * or after `start`, found by one seek along the bookings' ended_at index, at least one hour on
 * and at most `limit`. A call's GROUP BY then reads a bounded number of index entries however
 * busy the gym was, so the write lock it holds on SQLite stays short.
 */
export async function hoursEndForBookings(tx: Transaction<any> | Kysely<any>, start: Date, limit: Date, shiftMinutes: number, maxBookings: number): Promise<Date> {
  const beyond = await tx
    .selectFrom('booking')
    .select('ended_at')
    .where('ended_at', '>=', toDbTime(start))
    .where('ended_at', '<', toDbTime(limit))
    .orderBy('ended_at')
    .limit(1)
    .offset(maxBookings)
    .executeTakeFirst();
  if (!beyond) return limit;
  const hour = hourBucket(fromDbTime(String(beyond.ended_at)), shiftMinutes).getTime();
  return new Date(Math.min(Math.max(hour, start.getTime() + HOUR), limit.getTime()));
}

/**
 * Hours per call of countHours, at most: one SELECT per hour, joined by UNION ALL (SQLite takes up
 * to 500 in one compound statement); also the rows of one upsert. The job's calls are a week at
 * most, 168 hours.
 */
const HOURS_PER_STATEMENT = 168;

/**
 * Counts the bookings ended in each of `buckets` and upserts one row per hour (an hour without
 * bookings: see markEmptyHours), up to HOURS_PER_STATEMENT hours per statement.
 */
export async function rebuildHours(tx: Transaction<any> | Kysely<any>, dialect: Dialect, buckets: Date[]): Promise<HourCounts[]> {
  const hours = [...new Set(buckets.map((b) => b.getTime()))].sort((a, b) => a - b);
  const now = toDbTime(new Date());
  const counts: HourCounts[] = [];
  for (let i = 0; i < hours.length; i += HOURS_PER_STATEMENT) {
    const { counted, empty } = await countHours(tx, hours.slice(i, i + HOURS_PER_STATEMENT));
    await markEmptyHours(tx, dialect, empty, now);
    await upsertCounts(tx, dialect, counted, now);
    counts.push(...counted);
  }
  return counts;
}

/**
 * The bookings ended in each hour starting at `hours` (ms), in one statement: the hours with
 * bookings and their counts, and the hours without. Each hour is its own aggregate over its range
 * of the (ended_at, status, attended) index (migration 007), so no booking row is read, no hour
 * is computed per booking and nothing is sorted; an hour's range is the same string comparison
 * the job's bounds use. One GROUP BY over the bucket of each booking's end did the same work 3×
 * slower on SQLite (1,000,000 bookings in the job's 50 calls: 560–620 ms against 195–205 ms),
 * most of it strftime per booking and the sort, all of it under the write lock.
 */
async function countHours(tx: Transaction<any> | Kysely<any>, hours: number[]): Promise<{ counted: HourCounts[]; empty: string[] }> {
  const [first, ...rest] = hours.map((at) =>
    tx
      .selectFrom('booking')
      .select([
        sql<string>`${toDbTime(new Date(at))}`.as('statistics_at'),
        sql<number>`COUNT(*)`.as('all_count'),
        sql<number>`SUM(CASE WHEN attended = 1 THEN 1 ELSE 0 END)`.as('attended_count'),
        sql<number>`SUM(CASE WHEN status = 'CANCELLED' THEN 1 ELSE 0 END)`.as('cancelled_count'),
      ])
      .where('ended_at', '>=', toDbTime(new Date(at)))
      .where('ended_at', '<', toDbTime(new Date(at + HOUR))),
  );
  const counted: HourCounts[] = [];
  const empty: string[] = [];
  if (!first) return { counted, empty };
  for (const r of await rest.reduce((query, hour) => query.unionAll(hour), first).execute()) {
    const all = Number(r.all_count);
    if (all === 0) empty.push(String(r.statistics_at));
    else counted.push({ statistics_at: String(r.statistics_at), all_count: all, attended_count: Number(r.attended_count ?? 0), cancelled_count: Number(r.cancelled_count ?? 0) });
  }
  return { counted, empty };
}

/** Writes the counted hours' absolute numbers, their rows made or replaced. */
async function upsertCounts(tx: Transaction<any> | Kysely<any>, dialect: Dialect, counts: HourCounts[], now: string): Promise<void> {
  if (!counts.length) return;
  const insert = tx.insertInto('statistics').values(counts.map((c) => ({ ...c, created_at: now, modified_at: now })));
  if (dialect === 'mysql') {
    await insert
      .onDuplicateKeyUpdate({
        all_count: sql`VALUES(all_count)`,
        attended_count: sql`VALUES(attended_count)`,
        cancelled_count: sql`VALUES(cancelled_count)`,
        modified_at: sql`VALUES(modified_at)`,
      })
      .execute();
  } else {
    await insert
      .onConflict((oc) =>
        oc.column('statistics_at').doUpdateSet((eb) => ({
          all_count: eb.ref('excluded.all_count'),
          attended_count: eb.ref('excluded.attended_count'),
          cancelled_count: eb.ref('excluded.cancelled_count'),
          modified_at: eb.ref('excluded.modified_at'),
        })),
      )
      .execute();
  }
}

/**
 * The hours without bookings (`empty`, as statistics_at): a row of zeros where there is none;
 * where there is one, only its modified_at, so an hour built again is aggregated as of now and
 * counts that came from elsewhere (an import with no bookings behind it) are kept, as before rows
 * of zeros.
 */
async function markEmptyHours(tx: Transaction<any> | Kysely<any>, dialect: Dialect, empty: string[], now: string): Promise<void> {
  if (!empty.length) return;
  const insert = tx.insertInto('statistics').values(empty.map((at) => ({ statistics_at: at, all_count: 0, attended_count: 0, cancelled_count: 0, created_at: now, modified_at: now })));
  if (dialect === 'mysql') await insert.onDuplicateKeyUpdate({ modified_at: sql`VALUES(modified_at)` }).execute();
  else await insert.onConflict((oc) => oc.column('statistics_at').doUpdateSet((eb) => ({ modified_at: eb.ref('excluded.modified_at') }))).execute();
}

/**
 * Whether a statistics row aggregates its hour, in SQL (1 or 0, to be summed or compared): written
 * at or after the hour ended, or imported (no modified_at). The chart's coverage and the rebuild of
 * missing hours both ask it here.
 */
export function aggregatedInSql(dialect: Dialect): RawBuilder<number> {
  return sql<number>`CASE WHEN modified_at IS NULL OR ${anHourOrMoreAfter(dialect, 'modified_at', 'statistics_at')} THEN 1 ELSE 0 END`;
}

/**
 * The gym's hours of [from, to) that have ended by `now` and were never aggregated (no row, or
 * one written before the hour ended), oldest first.
 */
export async function hoursNotAggregated(tx: Transaction<any> | Kysely<any>, dialect: Dialect, from: Date, to: Date, shiftMinutes: number, now: Date): Promise<Date[]> {
  const first = hourBucket(from, shiftMinutes).getTime();
  const rows = await tx
    .selectFrom('statistics')
    .select('statistics_at')
    .where('statistics_at', '>=', toDbTimeBound(new Date(first)))
    .where('statistics_at', '<', toDbTimeBound(to))
    .where(aggregatedInSql(dialect), '=', 1)
    .execute();
  const aggregated = new Set(rows.map((r) => fromDbTime(r.statistics_at).getTime()));
  const missing: Date[] = [];
  for (let at = first; at < to.getTime() && at + HOUR <= now.getTime(); at += HOUR) if (!aggregated.has(at)) missing.push(new Date(at));
  return missing;
}

/** Aggregates the hours of [from, to) that have ended and were never aggregated; returns how many. */
export async function aggregateMissingHours(tx: Transaction<any> | Kysely<any>, dialect: Dialect, from: Date, to: Date, shiftMinutes: number, now: Date): Promise<number> {
  const missing = await hoursNotAggregated(tx, dialect, from, to, shiftMinutes, now);
  await rebuildHours(tx, dialect, missing);
  return missing.length;
}
