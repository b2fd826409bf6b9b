// 수업 후 이용권 차감. First the bookings of the gym's classes that have ended are completed, the
// no-show policy in force written on each (completeClassBookingsStep; the seed's bookings come in
// completed). Then a partitioned chunk step deducts. The partitioner splits the pass_seq range of
// the passes with bookings due for deduction, so two partitions never touch the same pass (nor,
// a booking having one pass, the same booking); each partition runs on a Piscina worker thread
// with its own connection and reads its bookings in booking_seq order. A chunk of up to 1,000
// bookings is written with a constant number of statements, in the chunk's transaction: flip
// the chunk's bookings that are still due to used_pass = 1 under lock (flipDueBookings), then
// one UPDATE of their passes taking off exactly as many uses per pass as this transaction
// flipped. A booking flipped by someone else first counts 0 here, and a pass's count is changed
// by SQL arithmetic under its row lock, never read and written back, so two runs at once still
// deduct each booking once.
import {
  chunkStep,
  dateTimeParam,
  defineJob,
  keysetReader,
  numberParam,
  partitionedStep,
  sqlWriter,
  type ExecutionContext,
  type StepContext,
  type ValuesOf,
} from '../../batch/index.ts';
import { bookingPolicy } from '../bookingPolicy.ts';
import { completeBookings, deductUsesFromPasses, dueForCompletion, dueForDeduction, flipDueBookings, passDb, passTx } from '../passQueries.ts';
import { workerFile } from '../workerFiles.ts';

const params = {
  now: dateTimeParam({
    default: 'now',
    description: { ko: '이 시각까지 끝난 수업을 차감합니다', en: 'Classes that ended by this moment are deducted' },
  }),
  partitions: numberParam({
    default: 2,
    integer: true,
    min: 1,
    max: 32,
    identifying: false,
    description: { ko: '나누어 동시에 처리할 구간 수', en: 'How many ranges are deducted at once' },
  }),
};
type Params = ValuesOf<typeof params>;
type Booking = { booking_seq: number; pass_seq: number };
interface PassRange extends ExecutionContext {
  minPassSeq: number;
  maxPassSeq: number;
  /** the lowest booking_seq due when the run began: gives the first page a booking_seq range too, so it is read by index order, not sorted */
  fromBookingSeq: number;
}
/** A partition made by an earlier version (booking_seq ranges), met when such an execution is restarted. */
interface BookingRange extends ExecutionContext {
  minBookingSeq: number;
  maxBookingSeq: number;
}

/** Bookings per chunk and per page read; a chunk is one transaction of at most three statements. */
const CHUNK_SIZE = 1000;

/** The worker entry point that knows this job; a path, not an import (main/pass never imports workers/). */
export const PASS_WORKER_FILE = workerFile('passWorker');

/** Equal pass_seq ranges over the passes of the bookings due for deduction (none when there are none). */
async function splitByPassSeq({ db, params }: StepContext<Params>): Promise<PassRange[]> {
  const bounds = await passDb(db)
    .selectFrom('booking')
    .select((eb) => [eb.fn.min('booking.pass_seq').as('lo'), eb.fn.max('booking.pass_seq').as('hi'), eb.fn.min('booking.booking_seq').as('first')])
    .where(dueForDeduction(params.now))
    .executeTakeFirst();
  if (bounds?.lo === null || bounds?.lo === undefined) return [];
  const lo = Number(bounds.lo);
  const hi = Number(bounds.hi);
  const fromBookingSeq = Number(bounds.first);
  const size = Math.ceil((hi - lo + 1) / params.partitions);
  const ranges: PassRange[] = [];
  for (let min = lo; min <= hi; min += size) ranges.push({ minPassSeq: min, maxPassSeq: Math.min(hi, min + size - 1), fromBookingSeq });
  return ranges;
}

/**
 * This partition's bookings due for deduction, by booking_seq (unique, so the saved position
 * never skips nor repeats one): the pages are ranges of the (status, used_pass, booking_seq)
 * index, filtered to the partition's passes.
 */
const bookingsDueForDeduction = ({ db, params, executionContext }: StepContext<Params>) => {
  const range = executionContext as Partial<PassRange & BookingRange>;
  return keysetReader<Booking>({
    db: db.kysely,
    query: () => {
      let query = passDb(db).selectFrom('booking').select(['booking.booking_seq', 'booking.pass_seq']).where(dueForDeduction(params.now));
      if (range.minPassSeq !== undefined) {
        query = query
          .where('booking.pass_seq', '>=', range.minPassSeq)
          .where('booking.pass_seq', '<=', range.maxPassSeq!)
          .where('booking.booking_seq', '>=', range.fromBookingSeq!);
      } else query = query.where('booking.booking_seq', '>=', range.minBookingSeq!).where('booking.booking_seq', '<=', range.maxBookingSeq!);
      return query;
    },
    key: 'booking_seq',
    keyColumn: 'booking.booking_seq',
    pageSize: CHUNK_SIZE,
    count: true,
  });
};

/** Bookings of the gym's classes that have ended and are not completed yet, by booking_seq. */
const bookingsDueForCompletion = ({ db, params }: StepContext<Params>) =>
  keysetReader<{ booking_seq: number }>({
    db: db.kysely,
    query: () => passDb(db).selectFrom('booking').select('booking.booking_seq').where(dueForCompletion(params.now)),
    key: 'booking_seq',
    keyColumn: 'booking.booking_seq',
    pageSize: CHUNK_SIZE,
  });

/** Completes the chunk's bookings still due, with the no-show policy as it is saved at this commit. */
const completeWithPolicy = ({ params }: StepContext<Params>) =>
  sqlWriter<{ booking_seq: number }>(async (bookings, transaction) => {
    const { deductNoShows } = await bookingPolicy(transaction);
    await completeBookings(passTx(transaction), bookings.map((b) => Number(b.booking_seq)), params.now, deductNoShows);
  });

/** Flip the chunk's still-due bookings, then take off each pass as many uses as flipped here: 2 (SQLite) or 3 (MySQL) statements. */
const deductFromPasses = ({ db, params }: StepContext<Params>) =>
  sqlWriter<Booking>(async (bookings, transaction) => {
    const tx = passTx(transaction);
    const flippedPasses = await flipDueBookings(tx, db.dialect, bookings.map((b) => Number(b.booking_seq)), params.now);
    const usesByPass = new Map<number, number>();
    for (const passSeq of flippedPasses) usesByPass.set(passSeq, (usesByPass.get(passSeq) ?? 0) + 1);
    await deductUsesFromPasses(tx, db.dialect, usesByPass, params.now);
  });

export const usePassesJob = defineJob({
  name: 'usePassesJob',
  title: { ko: '수업 후 이용권 차감', en: 'Deduct uses after class' },
  description: {
    ko: '끝난 수업의 예약을 완료하고 (불참 차감 정책에 따라), 완료된 예약마다 이용권 잔여 횟수를 한 번씩 차감합니다 (0 미만으로는 내려가지 않고, 무제한 이용권은 그대로).',
    en: 'Completes the bookings of classes that have ended (under the no-show policy), then takes one use off the pass of each completed booking, once (never below 0; unlimited passes are left as they are).',
  },
  params,
  steps: [
    chunkStep<Params, { booking_seq: number }>({
      name: 'completeClassBookingsStep',
      title: { ko: '끝난 수업의 예약 완료 (불참 정책 적용)', en: 'Complete the bookings of ended classes (the no-show policy)' },
      chunkSize: CHUNK_SIZE,
      reader: bookingsDueForCompletion,
      writer: completeWithPolicy,
    }),
    partitionedStep<Params>({
      name: 'usePassesStep',
      title: { ko: '수업 후 이용권 차감', en: 'Deduct uses after class' },
      partitioner: splitByPassSeq,
      workers: { filename: PASS_WORKER_FILE, maxThreads: 4 },
      step: chunkStep<Params, Booking>({
        name: 'usePassesChunkStep',
        chunkSize: CHUNK_SIZE,
        reader: bookingsDueForDeduction,
        writer: deductFromPasses,
      }),
    }),
  ],
});
