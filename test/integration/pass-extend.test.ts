// 이용권 연장 (passes.extend), on both databases: the desk gives a pass more days, more uses or
// both, for a reason it must give; the pass's end and count change, and the activity log records
// what it was and why. A pass with no end takes no days, an unlimited one no uses; an expired,
// cancelled or unknown pass is refused; a refusal changes nothing. The days count from the pass's
// own end, so no test depends on the hour it runs at.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/databases.ts';
import { refused, serviceHarness, type ServiceHarness } from '../support/serviceHarness.ts';

const DAY = 86_400_000;

describeEachBackend('a pass extended at the desk', (backend) => {
  let h: ServiceHarness;
  let counter = 0;
  const desk = () => h.sessions.FRONT_DESK;
  const unique = (name: string) => `${name} ${backend} ${++counter}`;
  let pt: { packageSeq: number };
  let open: { packageSeq: number };
  let endless: { packageSeq: number };

  async function sold(packageSeq: number, startedAt = new Date(Date.now() - DAY).toISOString()) {
    const userId = (await h.service.call(desk(), 'members.create', { userName: unique('연장 회원') })).detail.member.userId;
    return { userId, pass: (await h.service.call(desk(), 'passes.register', { userId, packageSeq, startedAt })).passes[0]! };
  }
  const row = (passSeq: number) => h.database.db.kysely.selectFrom('pass').select(['ended_at', 'remaining_count', 'status']).where('pass_seq', '=', passSeq).executeTakeFirstOrThrow();
  const auditOf = async (userId: string) => (await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'passes.extend', pageSize: 200 })).items.filter((r) => r.target === `user:${userId}`);

  beforeAll(async () => {
    h = await serviceHarness(backend);
    pt = await h.service.call(h.sessions.MANAGER, 'packages.create', { packageName: unique('PT 10회'), count: 10, period: 60 });
    open = await h.service.call(h.sessions.MANAGER, 'packages.create', { packageName: unique('헬스 무제한'), count: null, period: 30 });
    endless = await h.service.call(h.sessions.MANAGER, 'packages.create', { packageName: unique('10회권 기한 없음'), count: 10, period: null });
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('seven more days and two more uses move the end a week later and the count up by two, with what it was and why in the activity log', async () => {
    const { userId, pass } = await sold(pt.packageSeq);
    const done = await h.service.call(desk(), 'passes.extend', { passSeq: pass.passSeq, days: 7, uses: 2, reason: '  설 연휴 휴관  ' });
    expect(done.before).toEqual({ endedAt: pass.endedAt, remainingCount: 10 });
    expect(done.after).toEqual({ endedAt: new Date(Date.parse(pass.endedAt!) + 7 * DAY).toISOString(), remainingCount: 12 });
    expect(done.detail.passes.find((p) => p.passSeq === pass.passSeq)).toMatchObject({ endedAt: done.after.endedAt, remainingCount: 12, status: 'PROGRESSED' });
    const [entry] = await auditOf(userId);
    expect(entry?.detail).toMatchObject({ passSeq: pass.passSeq, days: 7, uses: 2, reason: '설 연휴 휴관', before: { endedAt: pass.endedAt, remainingCount: 10 } });

    // days alone leave the count; uses alone leave the end
    const days = await h.service.call(desk(), 'passes.extend', { passSeq: pass.passSeq, days: 3, reason: '부상' });
    expect(days.after).toEqual({ endedAt: new Date(Date.parse(pass.endedAt!) + 10 * DAY).toISOString(), remainingCount: 12 });
    const uses = await h.service.call(desk(), 'passes.extend', { passSeq: pass.passSeq, uses: 1, reason: '수업 취소 보상' });
    expect(uses.after).toEqual({ endedAt: days.after.endedAt, remainingCount: 13 });
  });

  it('an unlimited pass takes days but no uses, a pass with no end uses but no days; neither, a blank reason, or bad numbers are refused at their field, changing nothing', async () => {
    const unlimited = (await sold(open.packageSeq)).pass;
    expect((await h.service.call(desk(), 'passes.extend', { passSeq: unlimited.passSeq, days: 5, reason: '휴관' })).after.remainingCount).toBeNull();
    const noUses = await refused(h.service.call(desk(), 'passes.extend', { passSeq: unlimited.passSeq, uses: 1, reason: '보상' }));
    expect(noUses).toMatchObject({ code: 'VALIDATION', field: 'uses' });
    const forever = (await sold(endless.packageSeq)).pass;
    expect((await h.service.call(desk(), 'passes.extend', { passSeq: forever.passSeq, uses: 3, reason: '보상' })).after).toEqual({ endedAt: null, remainingCount: 13 });
    expect(await refused(h.service.call(desk(), 'passes.extend', { passSeq: forever.passSeq, days: 1, reason: '휴관' }))).toMatchObject({ code: 'VALIDATION', field: 'days' });

    const before = await row(forever.passSeq);
    expect((await refused(h.service.call(desk(), 'passes.extend', { passSeq: forever.passSeq, reason: '없음' } as never))).field).toBe('days');
    expect((await refused(h.service.call(desk(), 'passes.extend', { passSeq: forever.passSeq, uses: 1, reason: '   ' }))).field).toBe('reason');
    expect((await refused(h.service.call(desk(), 'passes.extend', { passSeq: forever.passSeq, uses: 0, reason: '보상' }))).field).toBe('uses');
    expect((await refused(h.service.call(desk(), 'passes.extend', { passSeq: forever.passSeq, uses: 1000, reason: '보상' }))).field).toBe('uses');
    expect((await refused(h.service.call(desk(), 'passes.extend', { passSeq: forever.passSeq, uses: 1, reason: 'a\u200bb' }))).field).toBe('reason');
    expect(await row(forever.passSeq)).toEqual(before);
  });

  it('an expired, cancelled or unknown pass is refused in plain words, and the kiosk may not extend', async () => {
    // sold today with its start 70 days back: a 60-day pass already over
    const late = (await sold(pt.packageSeq, new Date(Date.now() - 70 * DAY).toISOString())).pass;
    const expired = await refused(h.service.call(desk(), 'passes.extend', { passSeq: late.passSeq, days: 30, reason: '휴관' }));
    expect(expired.code).toBe('CONFLICT');
    expect(expired.text.ko).toContain('새 이용권을 등록하세요');
    const gone = (await sold(pt.packageSeq)).pass;
    await h.service.call(desk(), 'passes.cancel', { passSeq: gone.passSeq });
    expect((await refused(h.service.call(desk(), 'passes.extend', { passSeq: gone.passSeq, days: 1, reason: '휴관' }))).text.ko).toContain('취소되어');
    expect(await refused(h.service.call(desk(), 'passes.extend', { passSeq: 99_999_999, days: 1, reason: '휴관' }))).toMatchObject({ code: 'NOT_FOUND', field: 'passSeq' });
    expect((await refused(h.service.call(h.sessions.KIOSK, 'passes.extend', { passSeq: gone.passSeq, days: 1, reason: '휴관' }))).code).toBe('FORBIDDEN');
  });
});
