// 결제 수단, on both databases: how a sale at the desk was paid, so a gym can reconcile its till.
// A sale of a package sold for more than 0원 needs a method (card, cash or bank transfer), refused
// at `paymentMethod` in plain words with nothing written; a package with no price or at 0원 takes
// none and refuses one; the method is kept on the sold pass only (a bonus is given, never paid
// for), shown on the member's passes and written to the activity log. The sales summary adds it
// up by method: sales on the day they were made, refunds on the day of the cancellation under the
// method their pass was paid with, and passes sold before methods were kept (a price, no method)
// under none (null). The service's clock is held at fixed moments of May 2025, long before the
// demo gym's passes, so no test depends on the hour it runs at.
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PaymentMethod } from '../../main/service/contract.ts';
import { describeEachBackend } from '../support/databases.ts';
import { fullSnapshot, refused, serviceHarness, type ServiceHarness } from '../support/serviceHarness.ts';

describeEachBackend('how a sale was paid', (backend) => {
  let h: ServiceHarness;
  /** the service's clock: the real one unless a test holds it */
  let frozen: Date | null = null;
  let counter = 0;
  const desk = () => h.sessions.FRONT_DESK;
  const manager = () => h.sessions.MANAGER;
  const unique = (name: string) => `${name} ${backend} ${++counter}`;
  const today = () => new Date().toISOString().slice(0, 10);
  const member = async () => (await h.service.call(desk(), 'members.create', { userName: unique('결제 회원') })).detail.member.userId;
  const methodOf = async (passSeq: number) => (await h.database.db.kysely.selectFrom('pass').select('payment_method').where('pass_seq', '=', passSeq).executeTakeFirstOrThrow()).payment_method;

  /** at `at` (the gym's time, +09:00), with the clock held there */
  async function heldAt<T>(at: string, work: () => Promise<T>): Promise<T> {
    frozen = new Date(at);
    try {
      return await work();
    } finally {
      frozen = null;
    }
  }
  /** A sale by the desk at `at` of a pass starting that day, paid with `paymentMethod` (none: not sent). */
  const sellAt = (at: string, packageSeq: number, paymentMethod?: PaymentMethod) =>
    heldAt(at, async () => {
      const userId = await member();
      const { passes } = await h.service.call(desk(), 'passes.register', { userId, packageSeq, startedAt: at.slice(0, 10), ...(paymentMethod ? { paymentMethod } : {}) });
      return passes[0]!;
    });
  const cancelAt = (at: string, passSeq: number, refund: number) => heldAt(at, () => h.service.call(desk(), 'passes.cancel', { passSeq, refund }));

  beforeAll(async () => {
    h = await serviceHarness(backend, { service: { now: () => frozen ?? new Date() } });
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('a sale of a package with a price, without saying how it was paid, is refused at paymentMethod in plain words and writes nothing, with a bonus too', async () => {
    const pt = await h.service.call(manager(), 'packages.create', { packageName: unique('PT 10회'), count: 10, period: 60, price: 300_000 });
    const bonus = await h.service.call(manager(), 'packages.create', { packageName: unique('보너스 PT'), count: 2, period: 30 });
    const userId = await member();
    const before = await fullSnapshot(h);
    for (const input of [
      { userId, packageSeq: pt.packageSeq, startedAt: today() },
      { userId, packageSeq: pt.packageSeq, startedAt: today(), bonusPackageSeq: bonus.packageSeq },
    ]) {
      const refusal = await refused(h.service.call(desk(), 'passes.register', input));
      expect(refusal).toMatchObject({ code: 'VALIDATION', field: 'paymentMethod' });
      expect(refusal.text).toEqual({
        ko: `결제 수단: '${pt.packageName}' 패키지는 300,000원에 팔아 어떻게 받았는지 남겨야 합니다. 카드, 현금, 계좌이체 가운데 고르세요`,
        en: `paymentMethod: '${pt.packageName}' sells for ₩300,000: choose how it was paid (card, cash or bank transfer)`,
      });
    }
    // a method that is none of the three, in any spelling, is refused by the schema
    for (const paymentMethod of ['card', 'CREDIT', '', 1, null]) {
      const refusal = await refused(h.service.call(desk(), 'passes.register', { userId, packageSeq: pt.packageSeq, startedAt: today(), paymentMethod } as never));
      expect(refusal).toMatchObject({ code: 'VALIDATION', field: 'paymentMethod' });
      expect(refusal.text.ko).toBe('결제 수단: CARD(카드), CASH(현금), TRANSFER(계좌이체) 가운데 하나여야 합니다');
      expect(refusal.text.en).toBe('paymentMethod: must be CARD (card), CASH (cash) or TRANSFER (bank transfer)');
    }
    expect(await fullSnapshot(h)).toEqual(before);
  });

  it('the method is kept on the sold pass and shown on the member\'s passes and in the activity log; the bonus pass has none', async () => {
    const pt = await h.service.call(manager(), 'packages.create', { packageName: unique('PT 20회'), count: 20, period: 120, price: 550_000 });
    const bonus = await h.service.call(manager(), 'packages.create', { packageName: unique('보너스 1회'), count: 1, period: 30, price: 50_000 });
    const userId = await member();
    const { passes } = await h.service.call(desk(), 'passes.register', { userId, packageSeq: pt.packageSeq, startedAt: today(), bonusPackageSeq: bonus.packageSeq, paymentMethod: 'TRANSFER' });
    expect(passes.map((p) => [p.packageSeq, p.price, p.paymentMethod])).toEqual([
      [pt.packageSeq, 550_000, 'TRANSFER'],
      [bonus.packageSeq, null, null],
    ]);
    expect([await methodOf(passes[0]!.passSeq), await methodOf(passes[1]!.passSeq)]).toEqual(['TRANSFER', null]);
    const listed = (await h.service.call(desk(), 'members.passes', { userId })).passes;
    expect(Object.fromEntries(listed.map((p) => [p.passSeq, p.paymentMethod]))).toEqual({ [passes[0]!.passSeq]: 'TRANSFER', [passes[1]!.passSeq]: null });
    const [entry] = (await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'passes.register', pageSize: 200 })).items.filter((r) => r.target === `user:${userId}`);
    expect(entry!.detail).toMatchObject({ packageSeq: pt.packageSeq, bonusPackageSeq: bonus.packageSeq, paymentMethod: 'TRANSFER', passSeqs: passes.map((p) => p.passSeq) });

    // a cancelled pass keeps how it was paid
    const done = await h.service.call(desk(), 'passes.cancel', { passSeq: passes[0]!.passSeq, refund: 550_000 });
    expect(done.detail.passes.find((p) => p.passSeq === passes[0]!.passSeq)).toMatchObject({ status: 'CANCELLED', refund: 550_000, paymentMethod: 'TRANSFER' });
  });

  it('a package with no price or at 0원 is sold without a method (nothing is paid), and one sent for it is refused at paymentMethod, writing nothing', async () => {
    const unpriced = await h.service.call(manager(), 'packages.create', { packageName: unique('가격 없음'), count: 5, period: 30 });
    const free = await h.service.call(manager(), 'packages.create', { packageName: unique('인바디 상담'), count: null, period: null, price: 0 });
    const userId = await member();
    const before = await fullSnapshot(h);
    const noPrice = await refused(h.service.call(desk(), 'passes.register', { userId, packageSeq: unpriced.packageSeq, startedAt: today(), paymentMethod: 'CASH' }));
    expect(noPrice).toMatchObject({ code: 'VALIDATION', field: 'paymentMethod' });
    expect(noPrice.text).toEqual({
      ko: `결제 수단: '${unpriced.packageName}' 패키지는 가격이 없어 받을 돈이 없습니다. 결제 수단 없이 등록하세요`,
      en: `paymentMethod: '${unpriced.packageName}' has no price, so nothing is paid: register it without a payment method`,
    });
    const zero = await refused(h.service.call(desk(), 'passes.register', { userId, packageSeq: free.packageSeq, startedAt: today(), paymentMethod: 'CARD' }));
    expect(zero).toMatchObject({ code: 'VALIDATION', field: 'paymentMethod' });
    expect(zero.text.ko).toBe(`결제 수단: '${free.packageName}' 패키지는 0원이라 받을 돈이 없습니다. 결제 수단 없이 등록하세요`);
    expect(await fullSnapshot(h)).toEqual(before);

    for (const pkg of [unpriced, free]) {
      const [pass] = (await h.service.call(desk(), 'passes.register', { userId, packageSeq: pkg.packageSeq, startedAt: today() })).passes;
      expect(pass).toMatchObject({ packageSeq: pkg.packageSeq, price: pkg.price, paymentMethod: null });
    }
  });

  it('the sales summary adds up each method: sales on their day, a refund on the day its pass was cancelled under the method it was paid with, a sale from before methods were kept under none, a 0원 sale under no method', async () => {
    const pt = await h.service.call(manager(), 'packages.create', { packageName: unique('PT 정산'), count: 10, period: 60, price: 300_000 });
    const yoga = await h.service.call(manager(), 'packages.create', { packageName: unique('요가 정산'), count: null, period: 30, price: 120_000 });
    const free = await h.service.call(manager(), 'packages.create', { packageName: unique('무료 상담'), count: 1, period: 7, price: 0 });

    // Monday 12 May 2025: two by card, one in cash; 23:30 that night (14:30 UTC) a transfer
    const card1 = await sellAt('2025-05-12T10:00:00+09:00', pt.packageSeq, 'CARD');
    await sellAt('2025-05-12T11:00:00+09:00', yoga.packageSeq, 'CARD');
    const cash = await sellAt('2025-05-12T12:00:00+09:00', yoga.packageSeq, 'CASH');
    await sellAt('2025-05-12T23:30:00+09:00', pt.packageSeq, 'TRANSFER');
    await sellAt('2025-05-12T13:00:00+09:00', free.packageSeq);
    // a sale of before methods were kept: a price and no method, as migration 018 left the passes sold before it
    const old = await sellAt('2025-05-12T14:00:00+09:00', pt.packageSeq, 'CASH');
    await h.database.db.kysely.updateTable('pass').set({ payment_method: null }).where('pass_seq', '=', old.passSeq).execute();
    // Wednesday: the card PT refunded in part, the cash yoga in full, and the old sale with nothing handed back
    await cancelAt('2025-05-14T18:00:00+09:00', card1.passSeq, 200_000);
    await cancelAt('2025-05-14T18:10:00+09:00', cash.passSeq, 120_000);
    await cancelAt('2025-05-14T18:20:00+09:00', old.passSeq, 0);
    // 00:30 on Tuesday in Seoul (though Monday in UTC): a cash sale on Tuesday
    await sellAt('2025-05-13T00:30:00+09:00', yoga.packageSeq, 'CASH');

    const week = await h.service.call(manager(), 'sales.summary', { from: '2025-05-12', to: '2025-05-19' });
    expect(week.byMethod).toEqual([
      { paymentMethod: 'CARD', count: 2, total: 420_000, refundCount: 1, refunded: 200_000 },
      { paymentMethod: 'CASH', count: 2, total: 240_000, refundCount: 1, refunded: 120_000 },
      { paymentMethod: 'TRANSFER', count: 1, total: 300_000, refundCount: 0, refunded: 0 },
      { paymentMethod: null, count: 1, total: 300_000, refundCount: 1, refunded: 0 },
    ]);
    // the methods add up to the range's money; the 0원 sale is counted as a sale, in no method
    const sum = (key: 'count' | 'total' | 'refundCount' | 'refunded') => week.byMethod.reduce((n, m) => n + m[key], 0);
    expect(week.totals).toMatchObject({ count: 7, total: 1_260_000, refundCount: 3, refunded: 320_000 });
    expect([sum('count'), sum('total'), sum('refundCount'), sum('refunded')]).toEqual([6, 1_260_000, 3, 320_000]);

    // each day as its own till: Monday's sales only (the 23:30 transfer on Monday, the 00:30 cash on Tuesday)
    const monday = await h.service.call(manager(), 'sales.summary', { from: '2025-05-12', to: '2025-05-13' });
    expect(monday.byMethod).toEqual([
      { paymentMethod: 'CARD', count: 2, total: 420_000, refundCount: 0, refunded: 0 },
      { paymentMethod: 'CASH', count: 1, total: 120_000, refundCount: 0, refunded: 0 },
      { paymentMethod: 'TRANSFER', count: 1, total: 300_000, refundCount: 0, refunded: 0 },
      { paymentMethod: null, count: 1, total: 300_000, refundCount: 0, refunded: 0 },
    ]);
    const tuesday = await h.service.call(manager(), 'sales.summary', { from: '2025-05-13', to: '2025-05-14' });
    expect(tuesday.byMethod).toEqual([{ paymentMethod: 'CASH', count: 1, total: 120_000, refundCount: 0, refunded: 0 }]);
    // Wednesday: refunds only, each back the way its pass was paid; methods with nothing that day are not listed
    const wednesday = await h.service.call(manager(), 'sales.summary', { from: '2025-05-14', to: '2025-05-15' });
    expect(wednesday.byMethod).toEqual([
      { paymentMethod: 'CARD', count: 0, total: 0, refundCount: 1, refunded: 200_000 },
      { paymentMethod: 'CASH', count: 0, total: 0, refundCount: 1, refunded: 120_000 },
      { paymentMethod: null, count: 0, total: 0, refundCount: 1, refunded: 0 },
    ]);
    // a quiet range lists no method
    expect((await h.service.call(manager(), 'sales.summary', { from: '2025-05-05', to: '2025-05-08' })).byMethod).toEqual([]);
  });

  it('reading the sales by method is one index range on the pass table: the plan names the index that holds the method', async () => {
    // SQLite says which index a query reads; MySQL's EXPLAIN names it as `key`
    const probe = sql`SELECT payment_method, COUNT(price), SUM(price) FROM pass WHERE created_at >= '2025-05-12' AND created_at < '2025-05-13' AND price IS NOT NULL AND price > 0 GROUP BY payment_method`;
    if (backend === 'sqlite') {
      const { rows } = await sql<{ detail: string }>`EXPLAIN QUERY PLAN ${probe}`.execute(h.database.db.kysely);
      expect(rows.map((r) => r.detail).join('\n')).toMatch(/COVERING INDEX pass_created_at_sale_ix/);
    } else {
      const { rows } = await sql<{ key: string | null }>`EXPLAIN ${probe}`.execute(h.database.db.kysely);
      expect(rows[0]!.key).toBe('pass_created_at_sale_ix');
    }
  });
});
