// 판매 (sales.summary), on both databases: what the passes sold at the desk took in over a range,
// per day of the gym (Asia/Seoul), by package and by how each was paid, read from the passes' own prices. A sale at
// 23:30 and one at 00:30 Seoul time fall on two days (though on one UTC day); passes without a
// price (a bonus, a package with none) are not counted; a later change of a price changes nothing
// sold before it. The service's clock is held at fixed moments of March 2025, long before the demo
// gym's passes, so no test depends on the hour it runs at.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/databases.ts';
import { refused, serviceHarness, type ServiceHarness } from '../support/serviceHarness.ts';
import type { PaymentMethod } from '../../main/service/contract.ts';

describeEachBackend('sales by day and by package', (backend) => {
  let h: ServiceHarness;
  /** the service's clock: the real one unless a test holds it */
  let frozen: Date | null = null;
  let counter = 0;
  const desk = () => h.sessions.FRONT_DESK;
  const manager = () => h.sessions.MANAGER;
  const unique = (name: string) => `${name} ${backend} ${++counter}`;

  /** A sale by the desk at `at` (the gym's time, +09:00), of a pass starting that day, paid by card unless `paymentMethod` says otherwise (null: a package with no price, nothing paid). */
  async function sellAt(at: string, packageSeq: number, bonusPackageSeq?: number, paymentMethod: PaymentMethod | null = 'CARD') {
    frozen = new Date(at);
    try {
      const userId = (await h.service.call(desk(), 'members.create', { userName: unique('판매 회원') })).detail.member.userId;
      return (await h.service.call(desk(), 'passes.register', { userId, packageSeq, startedAt: at.slice(0, 10), ...(bonusPackageSeq ? { bonusPackageSeq } : {}), ...(paymentMethod ? { paymentMethod } : {}) })).passes;
    } finally {
      frozen = null;
    }
  }

  beforeAll(async () => {
    h = await serviceHarness(backend, { service: { now: () => frozen ?? new Date() } });
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it("sums the passes sold with a price per day of the gym, a sale at 23:30 and one at 00:30 on two days; a bonus and a package without a price are not counted; a later price counts for the sales after it only", async () => {
    const pt = await h.service.call(manager(), 'packages.create', { packageName: unique('PT 10회'), count: 10, period: 60, price: 300_000 });
    const yoga = await h.service.call(manager(), 'packages.create', { packageName: unique('요가 월간'), count: null, period: 30, price: 120_000 });
    const bonus = await h.service.call(manager(), 'packages.create', { packageName: unique('보너스 PT'), count: 1, period: 30, price: 50_000 });
    const unpriced = await h.service.call(manager(), 'packages.create', { packageName: unique('가격 없음'), count: 5, period: 30 });

    // 23:30 on the 10th and 00:30 on the 11th in Seoul: both 10 March in UTC (14:30 and 15:30)
    await sellAt('2025-03-10T23:30:00+09:00', pt.packageSeq);
    await sellAt('2025-03-11T00:30:00+09:00', yoga.packageSeq, bonus.packageSeq);
    await sellAt('2025-03-11T09:00:00+09:00', unpriced.packageSeq, undefined, null);
    await h.service.call(manager(), 'packages.update', { packageSeq: pt.packageSeq, price: 330_000 });
    await sellAt('2025-03-11T18:00:00+09:00', pt.packageSeq);
    // after the range: midnight that ends it
    await sellAt('2025-03-12T00:00:00+09:00', pt.packageSeq);
    // and a price taken off later changes nothing sold
    await h.service.call(manager(), 'packages.update', { packageSeq: pt.packageSeq, price: null });

    const sales = await h.service.call(manager(), 'sales.summary', { from: '2025-03-10', to: '2025-03-12' });
    expect(sales.timeZone).toBe('Asia/Seoul');
    expect(sales.days).toEqual([
      { day: '2025-03-10', at: '2025-03-09T15:00:00.000Z', count: 1, total: 300_000, refundCount: 0, refunded: 0 },
      { day: '2025-03-11', at: '2025-03-10T15:00:00.000Z', count: 2, total: 450_000, refundCount: 0, refunded: 0 },
    ]);
    expect(sales.totals).toEqual({ count: 3, total: 750_000, refundCount: 0, refunded: 0, net: 750_000 });
    expect(sales.packages).toEqual([
      { packageSeq: pt.packageSeq, packageName: pt.packageName, count: 2, total: 630_000, refundCount: 0, refunded: 0 },
      { packageSeq: yoga.packageSeq, packageName: yoga.packageName, count: 1, total: 120_000, refundCount: 0, refunded: 0 },
    ]);
    // every sale here was paid by card (test/integration/payment-methods.test.ts has the others)
    expect(sales.byMethod).toEqual([{ paymentMethod: 'CARD', count: 3, total: 750_000, refundCount: 0, refunded: 0 }]);

    // a range cut inside a day counts that part of it, under the day's name
    const morning = await h.service.call(manager(), 'sales.summary', { from: '2025-03-11T00:00', to: '2025-03-11T12:00' });
    expect(morning.days).toEqual([{ day: '2025-03-11', at: '2025-03-10T15:00:00.000Z', count: 1, total: 120_000, refundCount: 0, refunded: 0 }]);
    // every day of the range is listed, zeros as well
    const quiet = await h.service.call(manager(), 'sales.summary', { from: '2025-03-05', to: '2025-03-08' });
    expect(quiet).toEqual({
      timeZone: 'Asia/Seoul',
      days: ['2025-03-05', '2025-03-06', '2025-03-07'].map((day) => expect.objectContaining({ day, count: 0, total: 0 })),
      totals: { count: 0, total: 0, refundCount: 0, refunded: 0, net: 0 },
      packages: [],
      byMethod: [],
    });
  });

  it('a refund counts on the day its pass was cancelled, not the day it was sold: the sale stays in its day, the range nets them, and the package shows both', async () => {
    const pt = await h.service.call(manager(), 'packages.create', { packageName: unique('PT 환불'), count: 10, period: 60, price: 300_000 });
    const [sold] = await sellAt('2025-04-07T10:00:00+09:00', pt.packageSeq);
    await sellAt('2025-04-07T11:00:00+09:00', pt.packageSeq);
    // Thursday, 23:30 in Seoul (14:30 UTC): Thursday's refund
    frozen = new Date('2025-04-10T23:30:00+09:00');
    try {
      await h.service.call(desk(), 'passes.cancel', { passSeq: sold!.passSeq, refund: 250_000, reason: '이사' });
    } finally {
      frozen = null;
    }
    const week = await h.service.call(manager(), 'sales.summary', { from: '2025-04-07', to: '2025-04-12' });
    const byDay = Object.fromEntries(week.days.map((d) => [d.day, [d.count, d.total, d.refundCount, d.refunded]]));
    expect(byDay).toEqual({
      '2025-04-07': [2, 600_000, 0, 0],
      '2025-04-08': [0, 0, 0, 0],
      '2025-04-09': [0, 0, 0, 0],
      '2025-04-10': [0, 0, 1, 250_000],
      '2025-04-11': [0, 0, 0, 0],
    });
    expect(week.totals).toEqual({ count: 2, total: 600_000, refundCount: 1, refunded: 250_000, net: 350_000 });
    expect(week.packages).toEqual([{ packageSeq: pt.packageSeq, packageName: pt.packageName, count: 2, total: 600_000, refundCount: 1, refunded: 250_000 }]);
    expect(week.byMethod).toEqual([{ paymentMethod: 'CARD', count: 2, total: 600_000, refundCount: 1, refunded: 250_000 }]);
    // the refund's week alone: no sale, the refund and its package all the same
    const later = await h.service.call(manager(), 'sales.summary', { from: '2025-04-10', to: '2025-04-11' });
    expect(later.totals).toEqual({ count: 0, total: 0, refundCount: 1, refunded: 250_000, net: -250_000 });
    expect(later.packages).toEqual([{ packageSeq: pt.packageSeq, packageName: pt.packageName, count: 0, total: 0, refundCount: 1, refunded: 250_000 }]);
    expect(later.byMethod).toEqual([{ paymentMethod: 'CARD', count: 0, total: 0, refundCount: 1, refunded: 250_000 }]);
  });

  it('a range that ends before it starts or spans more than 400 days is refused at `to`; the desk may not see sales', async () => {
    expect(await refused(h.service.call(manager(), 'sales.summary', { from: '2025-03-12', to: '2025-03-10' }))).toMatchObject({ code: 'VALIDATION', field: 'to' });
    expect(await refused(h.service.call(manager(), 'sales.summary', { from: '2023-01-01', to: '2025-01-01' }))).toMatchObject({ code: 'VALIDATION', field: 'to' });
    expect(await refused(h.service.call(manager(), 'sales.summary', { from: 'yesterday', to: '2025-01-01' } as never))).toMatchObject({ code: 'VALIDATION', field: 'from' });
    expect((await refused(h.service.call(desk(), 'sales.summary', { from: '2025-03-10', to: '2025-03-12' }))).code).toBe('FORBIDDEN');
  });
});
