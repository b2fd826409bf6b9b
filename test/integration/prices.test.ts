// What the gym sells its passes for, on both databases: a package's price made, changed and
// removed (a change applies to the passes sold afterwards only, and may be made while a bulk grant
// of the package waits, since a grant sells nothing); bad prices refused at their field with
// nothing written; a desk sale keeping its package's price at that moment, a bonus pass keeping
// none.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/databases.ts';
import { fullSnapshot, refused, serviceHarness, waitForEnd, type ServiceHarness } from '../support/serviceHarness.ts';

const DAY = 86_400_000;

describeEachBackend('prices of packages and of the passes sold', (backend) => {
  let h: ServiceHarness;
  let counter = 0;
  const desk = () => h.sessions.FRONT_DESK;
  const manager = () => h.sessions.MANAGER;
  const unique = (name: string) => `${name} ${backend} ${++counter}`;
  const today = () => new Date().toISOString().slice(0, 10);
  const later = (days: number) => new Date(Math.floor((Date.now() + days * DAY) / 60_000) * 60_000).toISOString();
  const priceRow = async (passSeq: number) => (await h.database.db.kysely.selectFrom('pass').select('price').where('pass_seq', '=', passSeq).executeTakeFirstOrThrow()).price;

  async function member(): Promise<string> {
    return (await h.service.call(desk(), 'members.create', { userName: unique('가격 회원') })).detail.member.userId;
  }

  beforeAll(async () => {
    h = await serviceHarness(backend);
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('a manager gives a package a price when making it, changes it, and removes it with null; the list shows it and the activity log keeps the price before', async () => {
    const made = await h.service.call(manager(), 'packages.create', { packageName: unique('PT 10회 / 60일'), count: 10, period: 60, price: 300_000 });
    expect(made.price).toBe(300_000);
    const plain = await h.service.call(manager(), 'packages.create', { packageName: unique('가격 없음'), count: 1, period: 1 });
    expect(plain.price).toBeNull();
    const free = await h.service.call(manager(), 'packages.create', { packageName: unique('체험 1회'), count: 1, period: 7, price: 0 });
    expect(free.price).toBe(0);

    const raised = await h.service.call(manager(), 'packages.update', { packageSeq: made.packageSeq, price: 330_000 });
    expect(raised).toEqual({ ...made, price: 330_000 });
    expect((await h.service.call(desk(), 'packages.list', {})).find((p) => p.packageSeq === made.packageSeq)).toEqual(raised);
    const [row] = (await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'packages.update', pageSize: 200 })).items.filter((r) => r.target === `package:${made.packageSeq}`);
    expect(row!.detail).toMatchObject({ price: 330_000, before: { price: 300_000 } });

    const removed = await h.service.call(manager(), 'packages.update', { packageSeq: made.packageSeq, price: null });
    expect(removed).toEqual({ ...made, price: null });
    // a price given to one with none
    expect((await h.service.call(manager(), 'packages.update', { packageSeq: plain.packageSeq, price: 50_000 })).price).toBe(50_000);
  });

  it('a sale keeps the price its package had at that moment: a later change of the price leaves the pass as sold, a bonus pass and a pass of a package with no price keep none', async () => {
    const pkg = await h.service.call(manager(), 'packages.create', { packageName: unique('요가 월간'), count: null, period: 30, price: 120_000 });
    const bonusPkg = await h.service.call(manager(), 'packages.create', { packageName: unique('보너스 PT 1회'), count: 1, period: 30, price: 70_000 });
    const noPrice = await h.service.call(manager(), 'packages.create', { packageName: unique('가격 미정'), count: 5, period: 30 });
    const userId = await member();

    const { passes } = await h.service.call(desk(), 'passes.register', { userId, packageSeq: pkg.packageSeq, startedAt: today(), bonusPackageSeq: bonusPkg.packageSeq, paymentMethod: 'CASH' });
    expect(passes.map((p) => [p.packageSeq, p.price])).toEqual([
      [pkg.packageSeq, 120_000],
      [bonusPkg.packageSeq, null],
    ]);
    await h.service.call(manager(), 'packages.update', { packageSeq: pkg.packageSeq, price: 150_000 });
    const after = (await h.service.call(desk(), 'passes.register', { userId, packageSeq: pkg.packageSeq, startedAt: today(), paymentMethod: 'CARD' })).passes[0]!;
    expect(after.price).toBe(150_000);
    await h.service.call(manager(), 'packages.update', { packageSeq: pkg.packageSeq, price: null });

    const listed = (await h.service.call(desk(), 'members.passes', { userId })).passes;
    expect(listed.find((p) => p.passSeq === passes[0]!.passSeq)!.price).toBe(120_000);
    expect(listed.find((p) => p.passSeq === after.passSeq)!.price).toBe(150_000);
    expect(await priceRow(passes[0]!.passSeq)).toBe(120_000);

    const unpriced = (await h.service.call(desk(), 'passes.register', { userId, packageSeq: noPrice.packageSeq, startedAt: today() })).passes[0]!;
    expect(unpriced.price).toBeNull();
  });

  it("a price may change while a bulk grant of the package waits (a grant sells nothing), though its uses still can't; the granted passes keep no price", async () => {
    const pkg = await h.service.call(manager(), 'packages.create', { packageName: unique('그룹 지급 가격'), count: 4, period: 14, price: 80_000 });
    const grant = await h.service.call(desk(), 'bulkGrants.create', { packageSeq: pkg.packageSeq, userGroupId: 'HANBADA', startedAt: later(2) });
    expect((await h.service.call(manager(), 'packages.update', { packageSeq: pkg.packageSeq, price: 90_000 })).price).toBe(90_000);
    expect((await refused(h.service.call(manager(), 'packages.update', { packageSeq: pkg.packageSeq, count: 5, price: 95_000 }))).code).toBe('CONFLICT');
    expect((await h.service.call(manager(), 'packages.list', {})).find((p) => p.packageSeq === pkg.packageSeq)!.price).toBe(90_000);
    const { execution } = await h.service.call(desk(), 'bulkGrants.grantNow', { bulkPassSeq: grant.bulkPassSeq });
    expect(await waitForEnd(h, execution.id)).toBe('COMPLETED');
    const granted = await h.database.db.kysely.selectFrom('pass').select('price').where('bulk_pass_seq', '=', grant.bulkPassSeq).execute();
    expect(granted.length).toBeGreaterThan(0);
    expect(granted.every((p) => p.price === null)).toBe(true);
  });

  it('a price that is not a whole number of won from 0 to 100,000,000 is refused at its field and writes nothing', async () => {
    const pkg = await h.service.call(manager(), 'packages.create', { packageName: unique('검사용'), count: 1, period: 1, price: 10_000 });
    const snapshot = await fullSnapshot(h);
    for (const price of [-1, 100_000_001, 1.5, '300000', Number.NaN]) {
      expect(await refused(h.service.call(manager(), 'packages.create', { packageName: unique('잘못된 가격'), count: 1, period: 1, price } as never))).toMatchObject({ code: 'VALIDATION', field: 'price' });
      expect(await refused(h.service.call(manager(), 'packages.update', { packageSeq: pkg.packageSeq, price } as never))).toMatchObject({ code: 'VALIDATION', field: 'price' });
    }
    expect((await refused(h.service.call(desk(), 'packages.update', { packageSeq: pkg.packageSeq, price: 1 }))).code).toBe('FORBIDDEN');
    expect(await fullSnapshot(h)).toEqual(snapshot);
  });
});
