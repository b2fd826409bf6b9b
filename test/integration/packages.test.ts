// What the gym sells, kept by its managers, on both databases: a package made, sold at the desk
// with its uses and days; changed, so that the passes sold afterwards differ and those sold before
// don't; taken off sale, so that no sale, bulk grant or new class can take it (a class that took
// it keeps it) until it is back on sale; guarded while a bulk grant of it waits; one name per
// package; bad input refused with nothing written.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/databases.ts';
import { fullSnapshot, refused, serviceHarness, type ServiceHarness } from '../support/serviceHarness.ts';

const DAY = 86_400_000;

describeEachBackend('packages, kept by the gym', (backend) => {
  let h: ServiceHarness;
  let counter = 0;
  const desk = () => h.sessions.FRONT_DESK;
  const manager = () => h.sessions.MANAGER;
  const unique = (name: string) => `${name} ${backend} ${++counter}`;
  const today = () => new Date().toISOString().slice(0, 10);
  const later = (days: number) => new Date(Math.floor((Date.now() + days * DAY) / 60_000) * 60_000).toISOString();

  async function member(): Promise<string> {
    return (await h.service.call(desk(), 'members.create', { userName: unique('패키지 회원') })).detail.member.userId;
  }
  async function sell(userId: string, packageSeq: number) {
    const { passes } = await h.service.call(desk(), 'passes.register', { userId, packageSeq, startedAt: today() });
    return passes[0]!;
  }
  const daysOf = (pass: { startedAt: string; endedAt: string | null }) => (pass.endedAt === null ? null : Math.round((Date.parse(pass.endedAt) - Date.parse(pass.startedAt)) / DAY));

  beforeAll(async () => {
    h = await serviceHarness(backend);
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('a manager makes a package and the desk sells it: the pass starts with its uses and lasts its days, the package is listed on sale, and the activity log records who made it', async () => {
    const packageName = unique('필라테스 8회 / 30일');
    const made = await h.service.call(manager(), 'packages.create', { packageName: `  ${packageName}  `, count: 8, period: 30 });
    expect(made).toEqual({ packageSeq: expect.any(Number), packageName, count: 8, period: 30, retiredAt: null, price: null });
    expect((await h.service.call(desk(), 'packages.list', {})).find((p) => p.packageSeq === made.packageSeq)).toEqual(made);

    const pass = await sell(await member(), made.packageSeq);
    expect(pass).toMatchObject({ packageSeq: made.packageSeq, packageName, remainingCount: 8 });
    expect(daysOf(pass)).toBe(30);

    const unlimited = await h.service.call(manager(), 'packages.create', { packageName: unique('자유 이용'), count: null, period: null });
    const forever = await sell(await member(), unlimited.packageSeq);
    expect([forever.remainingCount, forever.endedAt]).toEqual([null, null]);

    const [row] = (await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'packages.create', pageSize: 200 })).items.filter((r) => r.target === `package:${made.packageSeq}`);
    expect(row).toMatchObject({ actor: 'manager1', detail: { packageName, count: 8, period: 30 } });
  });

  it("changing a package's uses and days changes the passes sold afterwards and never those sold before; a new name shows wherever its passes are listed", async () => {
    const pkg = await h.service.call(manager(), 'packages.create', { packageName: unique('PT 10회'), count: 10, period: 60 });
    const userId = await member();
    const before = await sell(userId, pkg.packageSeq);

    const renamed = unique('PT 12회 (새 가격)');
    const changed = await h.service.call(manager(), 'packages.update', { packageSeq: pkg.packageSeq, packageName: renamed, count: 12, period: 90 });
    expect(changed).toEqual({ ...pkg, packageName: renamed, count: 12, period: 90 });
    const after = await sell(userId, pkg.packageSeq);
    expect([after.remainingCount, daysOf(after)]).toEqual([12, 90]);

    const passes = (await h.service.call(desk(), 'members.passes', { userId })).passes;
    const old = passes.find((p) => p.passSeq === before.passSeq)!;
    expect([old.remainingCount, daysOf(old), old.packageName]).toEqual([10, 60, renamed]);

    const [row] = (await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'packages.update', pageSize: 200 })).items.filter((r) => r.target === `package:${pkg.packageSeq}`);
    expect(row!.detail).toMatchObject({ count: 12, period: 90, before: { packageName: pkg.packageName, count: 10, period: 60 } });
  });

  it('a package off sale is listed with when; a desk sale, a bulk grant and a new class refuse it by name and write nothing, a class that took it keeps it; back on sale it sells again', async () => {
    const pkg = await h.service.call(manager(), 'packages.create', { packageName: unique('여름 특가'), count: 5, period: 20 });
    const start = later(3);
    const [cls] = await h.service.call(desk(), 'classes.create', { title: unique('특가 수업'), startedAt: start, endedAt: new Date(Date.parse(start) + 3_600_000).toISOString(), capacity: 5, packageSeqs: [1, pkg.packageSeq] });
    const userId = await member();

    const off = await h.service.call(manager(), 'packages.retire', { packageSeq: pkg.packageSeq });
    expect(Date.parse(off.retiredAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect((await h.service.call(desk(), 'packages.list', {})).find((p) => p.packageSeq === pkg.packageSeq)).toEqual(off);

    const snapshot = await fullSnapshot(h);
    const sale = await refused(h.service.call(desk(), 'passes.register', { userId, packageSeq: 1, startedAt: today(), bonusPackageSeq: pkg.packageSeq, paymentMethod: 'CARD' }));
    expect(sale).toMatchObject({ code: 'CONFLICT', field: 'bonusPackageSeq' });
    expect(sale.text.ko).toContain(`'${pkg.packageName}' 패키지는 판매를 멈췄습니다`);
    expect(sale.text.en).toContain(`'${pkg.packageName}' is off sale`);
    const grant = await refused(h.service.call(desk(), 'bulkGrants.create', { packageSeq: pkg.packageSeq, userGroupId: 'HANBADA', startedAt: later(1) }));
    expect(grant).toMatchObject({ code: 'CONFLICT', field: 'packageSeq' });
    const newClass = await refused(h.service.call(desk(), 'classes.create', { title: unique('새 수업'), startedAt: later(4), endedAt: later(4.05), capacity: 3, packageSeqs: [1, pkg.packageSeq] }));
    expect(newClass).toMatchObject({ code: 'CONFLICT', field: 'packageSeqs.1' });
    const other = (await h.service.call(desk(), 'classes.create', { title: unique('다른 수업'), startedAt: later(5), endedAt: later(5.05), capacity: 3, packageSeqs: [1] }))[0]!;
    const snapshotWithOther = await fullSnapshot(h);
    expect((await refused(h.service.call(desk(), 'classes.update', { classSeq: other.classSeq, packageSeqs: [1, pkg.packageSeq] }))).field).toBe('packageSeqs.1');
    expect(await fullSnapshot(h)).toEqual(snapshotWithOther);
    expect(snapshotWithOther.package).toEqual(snapshot.package);

    // the class that took it before keeps it through an edit
    const kept = await h.service.call(desk(), 'classes.update', { classSeq: cls!.classSeq, capacity: 6, packageSeqs: [1, pkg.packageSeq] });
    expect(kept.class.packageSeqs).toEqual([1, pkg.packageSeq]);

    const on = await h.service.call(manager(), 'packages.restore', { packageSeq: pkg.packageSeq });
    expect(on).toEqual({ ...pkg, retiredAt: null });
    expect((await sell(userId, pkg.packageSeq)).remainingCount).toBe(5);
    expect((await refused(h.service.call(manager(), 'packages.restore', { packageSeq: pkg.packageSeq }))).code).toBe('CONFLICT');
  });

  it("while a bulk grant of a package waits, its uses and days can't change and it can't go off sale, its name can; once the grant is cancelled both can", async () => {
    const pkg = await h.service.call(manager(), 'packages.create', { packageName: unique('그룹 지급용'), count: 4, period: 14 });
    const grant = await h.service.call(desk(), 'bulkGrants.create', { packageSeq: pkg.packageSeq, userGroupId: 'HANBADA', startedAt: later(2) });
    const snapshot = await fullSnapshot(h);
    const change = await refused(h.service.call(manager(), 'packages.update', { packageSeq: pkg.packageSeq, count: 6 }));
    expect(change.code).toBe('CONFLICT');
    expect(change.text.ko).toContain(`일괄 지급 #${grant.bulkPassSeq}`);
    expect(change.text.en).toContain('cancel that grant on the Bulk grants screen');
    expect((await refused(h.service.call(manager(), 'packages.retire', { packageSeq: pkg.packageSeq }))).code).toBe('CONFLICT');
    expect(await fullSnapshot(h)).toEqual(snapshot);
    const renamed = unique('그룹 지급용 (이름만)');
    expect((await h.service.call(manager(), 'packages.update', { packageSeq: pkg.packageSeq, packageName: renamed })).packageName).toBe(renamed);

    await h.service.call(desk(), 'bulkGrants.cancel', { bulkPassSeq: grant.bulkPassSeq });
    expect((await h.service.call(manager(), 'packages.update', { packageSeq: pkg.packageSeq, count: 6 })).count).toBe(6);
    expect((await h.service.call(manager(), 'packages.retire', { packageSeq: pkg.packageSeq })).retiredAt).not.toBeNull();
  });

  it('one name per package, spaces and case aside, when made and when renamed; bad input is refused at its field and writes nothing; the desk may list packages but not change them', async () => {
    const first = await h.service.call(manager(), 'packages.create', { packageName: unique('Yoga Monthly'), count: null, period: 30 });
    const second = await h.service.call(manager(), 'packages.create', { packageName: unique('요가 월간'), count: null, period: 30 });
    const snapshot = await fullSnapshot(h);
    const twin = await refused(h.service.call(manager(), 'packages.create', { packageName: `  ${first.packageName.toUpperCase().replace(' ', '   ')} `, count: 1, period: 1 }));
    expect(twin).toMatchObject({ code: 'CONFLICT', field: 'packageName' });
    expect(twin.text.ko).toBe(`'${first.packageName}' 패키지가 이미 있습니다. 다른 이름을 쓰세요.`);
    expect((await refused(h.service.call(manager(), 'packages.update', { packageSeq: second.packageSeq, packageName: first.packageName }))).field).toBe('packageName');

    const bad: Array<[Record<string, unknown>, string]> = [
      [{ packageName: '', count: 1, period: 1 }, 'packageName'],
      [{ packageName: '보이지\u200b않는', count: 1, period: 1 }, 'packageName'],
      [{ packageName: 'x'.repeat(51), count: 1, period: 1 }, 'packageName'],
      [{ packageName: unique('0회'), count: 0, period: 1 }, 'count'],
      [{ packageName: unique('반 회'), count: 1.5, period: 1 }, 'count'],
      [{ packageName: unique('10년'), count: 1, period: 3651 }, 'period'],
      [{ packageName: unique('기간 빠짐'), count: 1 }, 'period'],
    ];
    for (const [input, field] of bad) {
      expect(await refused(h.service.call(manager(), 'packages.create', input as never))).toMatchObject({ code: 'VALIDATION', field });
    }
    expect((await refused(h.service.call(manager(), 'packages.update', { packageSeq: first.packageSeq }))).code).toBe('VALIDATION');
    expect((await refused(h.service.call(manager(), 'packages.update', { packageSeq: 999_999, count: 3 }))).code).toBe('NOT_FOUND');
    for (const call of [
      h.service.call(desk(), 'packages.create', { packageName: unique('데스크'), count: 1, period: 1 }),
      h.service.call(desk(), 'packages.update', { packageSeq: first.packageSeq, count: 3 }),
      h.service.call(desk(), 'packages.retire', { packageSeq: first.packageSeq }),
    ]) {
      expect((await refused(call)).code).toBe('FORBIDDEN');
    }
    expect(await fullSnapshot(h)).toEqual(snapshot);
  });
});
