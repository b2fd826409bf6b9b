// 수업 후 이용권 차감: a partitioned chunk step. The partitioner splits the booking_seq range of
// bookings due for deduction; each partition runs on a Piscina worker thread with its own
// connection. A chunk flips its bookings to used_pass = 1 one pass at a time and takes exactly
// as many uses off that pass as the UPDATE flipped, all in the chunk's transaction: a booking
// flipped by someone else first counts 0 here, and the pass's count is changed by SQL
// arithmetic under its row lock, never read and written back, so two bookings on one pass in
// two partitions each deduct once.
import { fileURLToPath } from 'node:url';
import {
  chunkStep,
  dateTimeParam,
  defineJob,
  keysetReader,
  numberParam,
  partitionedStep,
  sqlWriter,
  toDbTime,
  type ExecutionContext,
  type StepContext,
} from '../../batch/index.ts';
import { deductUses, dueForDeduction, passDb, passTx } from '../passQueries.ts';

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
type Params = { now: Date; partitions: number };
type Booking = { booking_seq: number; pass_seq: number };
interface BookingRange extends ExecutionContext {
  minBookingSeq: number;
  maxBookingSeq: number;
}

const CHUNK_SIZE = 100;

/** The worker entry point that knows this job; a path, not an import (main/pass never imports workers/). */
export const PASS_WORKER_FILE = fileURLToPath(new URL('../../../workers/passWorker.ts', import.meta.url));

/** Equal booking_seq ranges over the bookings due for deduction (none when there are none). */
async function splitByBookingSeq({ db, params }: StepContext<Params>): Promise<BookingRange[]> {
  const bounds = await passDb(db)
    .selectFrom('booking')
    .select((eb) => [eb.fn.min('booking.booking_seq').as('lo'), eb.fn.max('booking.booking_seq').as('hi')])
    .where(dueForDeduction(params.now))
    .executeTakeFirst();
  if (bounds?.lo === null || bounds?.lo === undefined) return [];
  const lo = Number(bounds.lo);
  const hi = Number(bounds.hi);
  const size = Math.ceil((hi - lo + 1) / params.partitions);
  const ranges: BookingRange[] = [];
  for (let min = lo; min <= hi; min += size) ranges.push({ minBookingSeq: min, maxBookingSeq: Math.min(hi, min + size - 1) });
  return ranges;
}

/** This partition's bookings due for deduction, by booking_seq. */
const bookingsDueForDeduction = ({ db, params, executionContext }: StepContext<Params>) => {
  const { minBookingSeq, maxBookingSeq } = executionContext as BookingRange;
  return keysetReader<Booking>({
    db: db.kysely,
    query: () =>
      passDb(db)
        .selectFrom('booking')
        .select(['booking.booking_seq', 'booking.pass_seq'])
        .where('booking.booking_seq', '>=', minBookingSeq)
        .where('booking.booking_seq', '<=', maxBookingSeq)
        .where(dueForDeduction(params.now)),
    key: 'booking_seq',
    keyColumn: 'booking.booking_seq',
    pageSize: CHUNK_SIZE * 5,
    count: true,
  });
};

/** Per pass, in pass_seq order (a fixed lock order across chunks): flip its bookings, deduct what flipped. */
const deductFromPasses = ({ db, params }: StepContext<Params>) =>
  sqlWriter<Booking>(async (bookings, transaction) => {
    const tx = passTx(transaction);
    const byPass = new Map<number, number[]>();
    for (const b of bookings) {
      const passSeq = Number(b.pass_seq);
      const group = byPass.get(passSeq) ?? [];
      group.push(Number(b.booking_seq));
      byPass.set(passSeq, group);
    }
    for (const passSeq of [...byPass.keys()].sort((a, b) => a - b)) {
      const flipped = await tx
        .updateTable('booking')
        .set({ used_pass: 1, modified_at: toDbTime(params.now) })
        .where('booking_seq', 'in', byPass.get(passSeq)!)
        .where(dueForDeduction(params.now))
        .executeTakeFirst();
      const uses = Number(flipped.numUpdatedRows);
      if (uses > 0) await deductUses(tx, db.dialect, passSeq, uses, params.now);
    }
  });

export const usePassesJob = defineJob({
  name: 'usePassesJob',
  title: { ko: '수업 후 이용권 차감', en: 'Deduct uses after class' },
  description: {
    ko: '끝난 수업 예약마다 이용권 잔여 횟수를 한 번씩 차감합니다 (0 미만으로는 내려가지 않고, 무제한 이용권은 그대로).',
    en: 'Takes one use off the pass of each completed class booking, once (never below 0; unlimited passes are left as they are).',
  },
  params,
  steps: [
    partitionedStep<Params>({
      name: 'usePassesStep',
      partitioner: splitByBookingSeq,
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
