// A bulk grant's start, on both databases: more than a year ahead is refused as the desk sale
// refuses it (one rule, members.ts refuseLateStart: VALIDATION on startedAt naming the last day
// that may be chosen, in Korean and English), and writes nothing; a year ahead to the minute is
// still scheduled. Before this, a grant refused a start before today but took 2099.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/databases.ts';
import { fullSnapshot, refused, serviceHarness, type ServiceHarness } from '../support/serviceHarness.ts';

const MINUTE = 60_000;

describeEachBackend('a bulk grant starting too far ahead', (backend) => {
  let h: ServiceHarness;
  /** the service's clock, held to the minute so the bound is known */
  const frozen = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
  const desk = () => h.sessions.FRONT_DESK;

  beforeAll(async () => {
    h = await serviceHarness(backend, { service: { now: () => frozen } });
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('a start more than a year ahead is refused on its field with the desk sale\'s words, naming the last day; the refusal writes nothing, and a year ahead to the minute is scheduled', async () => {
    const latest = DateTime.fromJSDate(frozen, { zone: 'Asia/Seoul' }).plus({ years: 1 });
    const bound = latest.toFormat('yyyy-MM-dd');
    const before = await fullSnapshot(h);
    for (const [startedAt, typed] of [
      ['2099-01-01T09:00', '2099-01-01'],
      [latest.plus({ minutes: 1 }).toISO()!, bound],
      [latest.plus({ days: 1 }).toFormat('yyyy-MM-dd'), latest.plus({ days: 1 }).toFormat('yyyy-MM-dd')],
    ] as const) {
      const error = await refused(h.service.call(desk(), 'bulkGrants.create', { packageSeq: 1, userGroupId: 'PT', startedAt }));
      expect(error, startedAt).toMatchObject({ code: 'VALIDATION', field: 'startedAt' });
      expect(error.text.ko, startedAt).toBe(`시작일: ${typed}${/[013678]$/.test(typed) ? '은' : '는'} 너무 먼 날입니다. 시작일은 오늘부터 1년 뒤인 ${bound}까지 정할 수 있습니다. 연도를 확인하세요`);
      expect(error.text.en, startedAt).toBe(`startedAt: ${typed} is too far ahead: a pass may start at most a year from today, on ${bound} at the latest. Check the year`);
    }
    // a date alone, with an end as well: the same refusal
    const withEnd = await refused(h.service.call(desk(), 'bulkGrants.create', { packageSeq: 1, userGroupId: 'PT', startedAt: '2099-01-01', endedAt: '2099-03-01' }));
    expect([withEnd.code, withEnd.field]).toEqual(['VALIDATION', 'startedAt']);
    expect(await fullSnapshot(h)).toEqual(before);

    const grant = await h.service.call(desk(), 'bulkGrants.create', { packageSeq: 1, userGroupId: 'PT', startedAt: latest.toISO()! });
    expect(grant).toMatchObject({ status: 'READY', startedAt: latest.toUTC().toISO(), passesCreated: 0 });
    await h.service.call(desk(), 'bulkGrants.cancel', { bulkPassSeq: grant.bulkPassSeq });
  });
});
