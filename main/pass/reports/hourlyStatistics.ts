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
import { fromDbTime, toDbTime, type Dialect } from '../../batch/index.ts';

const HOUR = 3_600_000;

/**
 * Minutes past the UTC hour at which the gym's hours begin: 0 for Asia/Seoul, 30 for
 * Asia/Kolkata. Taken at `at`; zones whose offset changes by a part of an hour are not handled.
 */
export function hourShiftMinutes(timeZone: string, at: Date): number {
  const offset = DateTime.fromJSDate(at, { zone: timeZone }).offset;
  return ((offset % 60) + 60) % 60;
}

/** The start of the gym's hour that `at` falls in. */
export function hourBucket(at: Date, shiftMinutes: number): Date {
  const shift = shiftMinutes * 60_000;
  return new Date(Math.floor((at.getTime() - shift) / HOUR) * HOUR + shift);
}

function bucketExpression(dialect: Dialect, shiftMinutes: number): RawBuilder<string> {
  return dialect === 'mysql'
    ? sql<string>`DATE_FORMAT(ended_at - INTERVAL ${sql.lit(shiftMinutes)} MINUTE, '%Y-%m-%d %H:00:00.000')`
    : sql<string>`strftime('%Y-%m-%d %H:00:00.000', ended_at, ${sql.lit(`-${shiftMinutes} minutes`)})`;
}

/** Adjacent buckets merged into [from, to) ranges, so one query covers them all. */
function ranges(buckets: Date[]): Array<[Date, Date]> {
  const sorted = [...new Set(buckets.map((b) => b.getTime()))].sort((a, b) => a - b);
  const result: Array<[number, number]> = [];
  for (const start of sorted) {
    const last = result.at(-1);
    if (last && last[1] === start) last[1] = start + HOUR;
    else result.push([start, start + HOUR]);
  }
  return result.map(([a, b]) => [new Date(a), new Date(b)]);
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

/** Counts the bookings ended in each of `buckets` (one GROUP BY) and upserts one row per hour. */
export async function rebuildHours(tx: Transaction<any> | Kysely<any>, dialect: Dialect, buckets: Date[], shiftMinutes: number): Promise<HourCounts[]> {
  if (!buckets.length) return [];
  const bucket = bucketExpression(dialect, shiftMinutes);
  const rows = await tx
    .selectFrom('booking')
    .select([
      bucket.as('bucket'),
      sql<number>`COUNT(*)`.as('all_count'),
      sql<number>`SUM(CASE WHEN attended = 1 THEN 1 ELSE 0 END)`.as('attended_count'),
      sql<number>`SUM(CASE WHEN status = 'CANCELLED' THEN 1 ELSE 0 END)`.as('cancelled_count'),
    ])
    .where((eb) => eb.or(ranges(buckets).map(([from, to]) => eb.and([eb('ended_at', '>=', toDbTime(from)), eb('ended_at', '<', toDbTime(to))]))))
    .groupBy(bucket)
    .execute();
  const counts: HourCounts[] = rows.map((r) => ({
    // the SQL truncates the shifted time; shifting back gives the gym's hour in UTC
    statistics_at: toDbTime(new Date(fromDbTime(String(r.bucket)).getTime() + shiftMinutes * 60_000)),
    all_count: Number(r.all_count),
    attended_count: Number(r.attended_count ?? 0),
    cancelled_count: Number(r.cancelled_count ?? 0),
  }));
  const now = toDbTime(new Date());
  await markEmptyHours(tx, dialect, buckets, counts, now);
  if (!counts.length) return counts;
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
  return counts;
}

/**
 * The hours of `buckets` without bookings: a row of zeros where there is none; where there is
 * one, only its modified_at, so an hour built again is aggregated as of now and counts that came
 * from elsewhere (an import with no bookings behind it) are kept, as before rows of zeros.
 */
async function markEmptyHours(tx: Transaction<any> | Kysely<any>, dialect: Dialect, buckets: Date[], counts: HourCounts[], now: string): Promise<void> {
  const counted = new Set(counts.map((c) => fromDbTime(c.statistics_at).getTime()));
  const empty = [...new Set(buckets.map((b) => b.getTime()))].filter((at) => !counted.has(at));
  for (let i = 0; i < empty.length; i += 500) {
    const rows = empty.slice(i, i + 500).map((at) => ({ statistics_at: toDbTime(new Date(at)), all_count: 0, attended_count: 0, cancelled_count: 0, created_at: now, modified_at: now }));
    const insert = tx.insertInto('statistics').values(rows);
    if (dialect === 'mysql') await insert.onDuplicateKeyUpdate({ modified_at: sql`VALUES(modified_at)` }).execute();
    else await insert.onConflict((oc) => oc.column('statistics_at').doUpdateSet((eb) => ({ modified_at: eb.ref('excluded.modified_at') }))).execute();
  }
}

/** Whether a statistics row aggregates its hour: written at or after the hour ended, or imported (no modified_at). */
export function isAggregated(row: { statistics_at: string | Date; modified_at: string | Date | null }): boolean {
  if (row.modified_at === null) return true;
  return fromDbTime(row.modified_at).getTime() >= fromDbTime(row.statistics_at).getTime() + HOUR;
}

/**
 * The gym's hours of [from, to) that have ended by `now` and were never aggregated (no row, or
 * one written before the hour ended), oldest first.
 */
export async function hoursNotAggregated(tx: Transaction<any> | Kysely<any>, from: Date, to: Date, shiftMinutes: number, now: Date): Promise<Date[]> {
  const first = hourBucket(from, shiftMinutes).getTime();
  const rows = await tx
    .selectFrom('statistics')
    .select(['statistics_at', 'modified_at'])
    .where('statistics_at', '>=', toDbTime(new Date(first)))
    .where('statistics_at', '<', toDbTime(to))
    .execute();
  const aggregated = new Set(rows.filter(isAggregated).map((r) => fromDbTime(r.statistics_at).getTime()));
  const missing: Date[] = [];
  for (let at = first; at < to.getTime() && at + HOUR <= now.getTime(); at += HOUR) if (!aggregated.has(at)) missing.push(new Date(at));
  return missing;
}

/** Aggregates the hours of [from, to) that have ended and were never aggregated; returns how many. */
export async function aggregateMissingHours(tx: Transaction<any> | Kysely<any>, dialect: Dialect, from: Date, to: Date, shiftMinutes: number, now: Date): Promise<number> {
  const missing = await hoursNotAggregated(tx, from, to, shiftMinutes, now);
  for (let i = 0; i < missing.length; i += 168) await rebuildHours(tx, dialect, missing.slice(i, i + 168), shiftMinutes);
  return missing.length;
}
