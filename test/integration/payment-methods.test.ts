// 결제 수단, on both databases: how a sale at the desk was paid, so a gym can reconcile its till.
// A sale of a package sold for more than 0원 needs a method (card, cash or bank transfer), refused
// at `paymentMethod` in plain words with nothing written; a package with no price or at 0원 takes
// none and refuses one; the method is kept on the sold pass only (a bonus is given, never paid
// for), shown on the member's passes and written to the activity log.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/databases.ts';
import { fullSnapshot, refused, serviceHarness, type ServiceHarness } from '../support/serviceHarness.ts';

describeEachBackend('how a sale was paid', (backend) => {
  let h: ServiceHarness;
  let counter = 0;
  const desk = () => h.sessions.FRONT_DESK;
  const manager = () => h.sessions.MANAGER;
  const unique = (name: string) => `${name} ${backend} ${++counter}`;
  const today = () => new Date().toISOString().slice(0, 10);
  const member = async () => (await h.service.call(desk(), 'members.create', { userName: unique('결제 회원') })).detail.member.userId;
  const methodOf = async (passSeq: number) => (await h.database.db.kysely.selectFrom('pass').select('payment_method').where('pass_seq', '=', passSeq).executeTakeFirstOrThrow()).payment_method;

  beforeAll(async () => {
    h = await serviceHarness(backend);
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
});
