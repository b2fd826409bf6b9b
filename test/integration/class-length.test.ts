// A class is shorter than 24 hours, on both databases. The class form gives a day, a start time
// and an end time, an end earlier than the start being on the next day (renderer/src/lib/time24.ts,
// classTimes): an end 24 hours after the start reads there as the start's own time, a class of no
// length. So the service refuses a class of 24 hours or more, made or moved, with a plain message
// under the end and nothing written, and every class it takes reads back in the form as itself.
// A class made before the rule (24 hours exactly) still takes a change that leaves its time alone.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toDbTime } from '../../main/batch/index.ts';
import { classTimes } from '../../renderer/src/lib/time24.ts';
import { describeEachBackend } from '../support/databases.ts';
import { fullSnapshot, refused, serviceHarness, type ServiceHarness } from '../support/serviceHarness.ts';

const ZONE = 'Asia/Seoul';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const DAY_LONG = { ko: '종료일: 수업은 24시간보다 짧아야 합니다. 끝나는 시각을 확인하세요', en: 'endedAt: a class must be shorter than 24 hours; check the end time' };

describeEachBackend('how long a class may last', (backend) => {
  let h: ServiceHarness;
  let counter = 0;
  const desk = () => h.sessions.FRONT_DESK;
  /** 19:00 in the gym's zone, `days` from today */
  const at19 = (days: number) => DateTime.now().setZone(ZONE).plus({ days }).set({ hour: 19, minute: 0, second: 0, millisecond: 0 });
  const make = (start: DateTime, length: number) =>
    h.service.call(desk(), 'classes.create', { title: `길이 ${backend} ${++counter}`, startedAt: start.toUTC().toISO()!, endedAt: start.plus({ milliseconds: length }).toUTC().toISO()!, capacity: 5, packageSeqs: [1] });
  /** what the class form shows for a class, sent back as the form sends it */
  const asTheFormReadsIt = (startedAt: string, endedAt: string) => {
    const [s, e] = [DateTime.fromISO(startedAt, { zone: ZONE }), DateTime.fromISO(endedAt, { zone: ZONE })];
    const read = classTimes(s.toFormat('yyyy-MM-dd'), s.toFormat('HH:mm'), e.toFormat('HH:mm'));
    if ('problem' in read) throw new Error(`the form can't read ${startedAt}–${endedAt}`);
    return { startedAt: DateTime.fromISO(read.startedAt, { zone: ZONE }).toUTC().toISO(), endedAt: DateTime.fromISO(read.endedAt, { zone: ZONE }).toUTC().toISO() };
  };

  beforeAll(async () => {
    h = await serviceHarness(backend);
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('a class of 24 hours or more is refused under the end in plain words and nothing is written; one a minute shorter is made and reads back in the class form as itself', async () => {
    const before = await fullSnapshot(h);
    for (const length of [DAY, DAY + HOUR]) {
      const error = await refused(make(at19(3), length));
      expect(error).toMatchObject({ code: 'VALIDATION', field: 'endedAt', text: DAY_LONG });
    }
    // a weekly series is refused alike, none of its classes made
    const weekly = await refused(
      h.service.call(desk(), 'classes.create', { title: '길이 매주', startedAt: at19(3).toUTC().toISO()!, endedAt: at19(4).toUTC().toISO()!, capacity: 5, packageSeqs: [1], repeatWeeks: 4 }),
    );
    expect(weekly).toMatchObject({ code: 'VALIDATION', field: 'endedAt', text: DAY_LONG });
    expect(await fullSnapshot(h)).toEqual(before);

    const [longest] = await make(at19(3), DAY - MINUTE);
    expect(asTheFormReadsIt(longest!.startedAt, longest!.endedAt)).toEqual({ startedAt: longest!.startedAt, endedAt: longest!.endedAt });
  });

  it('a class moved to last 24 hours or more is refused and keeps its time; a class of exactly 24 hours made before the rule still takes a new title, not a new time of that length', async () => {
    const [cls] = await make(at19(5), HOUR);
    const before = await fullSnapshot(h);
    const moved = await refused(h.service.call(desk(), 'classes.update', { classSeq: cls!.classSeq, endedAt: at19(6).toUTC().toISO()! }));
    expect(moved).toMatchObject({ code: 'VALIDATION', field: 'endedAt', text: DAY_LONG });
    const both = await refused(h.service.call(desk(), 'classes.update', { classSeq: cls!.classSeq, startedAt: at19(7).toUTC().toISO()!, endedAt: at19(8).plus({ hours: 2 }).toUTC().toISO()! }));
    expect(both).toMatchObject({ code: 'VALIDATION', field: 'endedAt', text: DAY_LONG });
    expect(await fullSnapshot(h)).toEqual(before);

    // as the service took it before: 24 hours to the millisecond
    const [old] = await make(at19(9), HOUR);
    await h.database.db.kysely.updateTable('gym_class').set({ ended_at: toDbTime(at19(10).toJSDate()) }).where('class_seq', '=', old!.classSeq).execute();
    const renamed = await h.service.call(desk(), 'classes.update', { classSeq: old!.classSeq, title: '이름만 바꿈' });
    expect(renamed.class).toMatchObject({ title: '이름만 바꿈', endedAt: at19(10).toUTC().toISO() });
    const again = await refused(h.service.call(desk(), 'classes.update', { classSeq: old!.classSeq, startedAt: at19(9).plus({ hours: 1 }).toUTC().toISO()!, endedAt: at19(10).plus({ hours: 1 }).toUTC().toISO()! }));
    expect(again).toMatchObject({ code: 'VALIDATION', field: 'endedAt', text: DAY_LONG });
  });
});
