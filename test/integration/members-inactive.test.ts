// An inactive member at the desk, on both databases: no pass is sold to them (the refusal says
// they are inactive and how to reactivate them), nor one starting more than a year ahead (a slip
// of the year, refused on its field naming the last day that may be chosen). Refusals write nothing.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/databases.ts';
import { fullSnapshot, refused, serviceHarness, type ServiceHarness } from '../support/serviceHarness.ts';

const MINUTE = 60_000;

describeEachBackend('an inactive member at the desk', (backend) => {
  let h: ServiceHarness;
  /** the service's clock: the real one unless a test holds it */
  let frozen: Date | null = null;
  const desk = () => h.sessions.FRONT_DESK;
  const now = () => frozen ?? new Date();
  const at = (ms: number) => new Date(Math.floor((now().getTime() + ms) / MINUTE) * MINUTE).toISOString();

  beforeAll(async () => {
    h = await serviceHarness(backend, { service: { now } });
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('a pass is not sold to an inactive member: the refusal says they are inactive and how to reactivate them, nothing is written, and once reactivated the sale goes through', async () => {
    const userId = (await h.service.call(desk(), 'members.create', { userName: '휴면 판매' })).detail.member.userId;
    await h.service.call(desk(), 'members.deactivate', { userId });
    const before = await fullSnapshot(h);
    const error = await refused(h.service.call(desk(), 'passes.register', { userId, packageSeq: 1, bonusPackageSeq: 3, startedAt: at(0) }));
    expect(error).toMatchObject({ code: 'CONFLICT', field: 'userId' });
    expect(error.text.ko).toBe(`휴면 판매(${userId}) 회원은 휴면 상태라 이용권을 등록할 수 없습니다. 회원 정보의 '다시 활동' 버튼으로 먼저 활동 회원으로 바꾼 뒤 등록하세요.`);
    expect(error.text.en).toBe(`휴면 판매 (${userId}) is an inactive member, so no pass can be registered for them. Reactivate them first (the Reactivate button on their details), then register the pass.`);
    expect(await fullSnapshot(h)).toEqual(before);

    await h.service.call(desk(), 'members.reactivate', { userId });
    expect((await h.service.call(desk(), 'passes.register', { userId, packageSeq: 1, startedAt: at(0) })).passes).toHaveLength(1);
  });

  it('a start more than a year ahead is refused on its field, naming the last day that may be chosen; a year ahead to the minute still sells, and the refusal writes nothing', async () => {
    frozen = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
    try {
      const latest = DateTime.fromJSDate(frozen, { zone: 'Asia/Seoul' }).plus({ years: 1 });
      const bound = latest.toFormat('yyyy-MM-dd');
      const before = await fullSnapshot(h);
      for (const [startedAt, typed] of [
        ['2099-01-01', '2099-01-01'],
        [latest.plus({ minutes: 1 }).toISO()!, bound],
        [latest.plus({ days: 1 }).toFormat('yyyy-MM-dd'), latest.plus({ days: 1 }).toFormat('yyyy-MM-dd')],
      ] as const) {
        const error = await refused(h.service.call(desk(), 'passes.register', { userId: 'M1000003', packageSeq: 1, startedAt }));
        expect(error, startedAt).toMatchObject({ code: 'VALIDATION', field: 'startedAt' });
        expect(error.text.ko, startedAt).toBe(`시작일: ${typed}${/[013678]$/.test(typed) ? '은' : '는'} 너무 먼 날입니다. 시작일은 오늘부터 1년 뒤인 ${bound}까지 정할 수 있습니다. 연도를 확인하세요`);
        expect(error.text.en, startedAt).toBe(`startedAt: ${typed} is too far ahead: a pass may start at most a year from today, on ${bound} at the latest. Check the year`);
      }
      expect(await fullSnapshot(h)).toEqual(before);
      const sold = await h.service.call(desk(), 'passes.register', { userId: 'M1000003', packageSeq: 1, startedAt: latest.toISO()! });
      expect(sold.passes[0]).toMatchObject({ status: 'READY', startedAt: latest.toUTC().toISO() });
    } finally {
      frozen = null;
    }
  });
});
