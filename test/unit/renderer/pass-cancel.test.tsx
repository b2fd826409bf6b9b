// @vitest-environment happy-dom
// 이용권 취소·환불 on the member screen: the desk opens a pass's cancel dialog from its row. A
// sold pass says what it sold for and how it was paid, and asks how much is handed back (0 to its price, nothing assumed; "all of it" fills the
// price), and the dialog says which of its bookings go with it before the button that does it; a
// pass not sold asks no amount; an expired or cancelled pass offers no cancel. The cancelled pass
// then reads as cancelled, with its day, its refund and the reason. Extending a pass (연장) asks days
// or uses and a reason, and says what the pass will be before the button.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { useMembers } from '../../../renderer/src/stores/members.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge, type Handlers } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const DAY = 86_400_000;
const member = { userId: 'M1000031', userName: '한가람', phone: '01012345678', status: 'ACTIVE' as const, livePasses: 2, memo: null, createdAt: '2026-11-01T00:00:00.000Z' };
const pass = (passSeq: number, packageName: string, price: number | null, status = 'PROGRESSED', paymentMethod: string | null = null) => ({
  passSeq,
  packageSeq: passSeq,
  packageName,
  status,
  remainingCount: 8,
  startedAt: new Date(Date.now() - 10 * DAY).toISOString(),
  endedAt: new Date(Date.now() + 50 * DAY).toISOString(),
  expiredAt: null,
  bulkPassSeq: null,
  price,
  cancelledAt: null,
  refund: null,
  cancelReason: null,
  paymentMethod,
});
const PT = pass(11, 'PT 10회 / 60일', 300_000, 'PROGRESSED', 'CARD');
const BONUS = pass(12, '오픈 보너스 PT', null);
const OLD = pass(13, '필라테스 체험', 20_000, 'EXPIRED');
const booking = (bookingSeq: number, passSeq: number, inDays: number) => ({
  bookingSeq,
  passSeq,
  status: 'READY',
  attended: false,
  usedPass: false,
  startedAt: new Date(Date.now() + inDays * DAY).toISOString(),
  endedAt: new Date(Date.now() + inDays * DAY + 3_600_000).toISOString(),
  classSeq: bookingSeq,
  classTitle: `요가 ${bookingSeq}`,
});

function bridgeFor(passes: unknown[], cancelled: (input: { passSeq: number; refund?: number; reason?: string }) => unknown, extra: Handlers = {}) {
  const detail = { member, groups: [], passes, bookings: [booking(1, 11, 2), booking(2, 11, -3), booking(3, 12, 4)], upcoming: { bookings: 2, waitlist: 0 } };
  return fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'packages.list': () => [],
    'groups.list': () => [],
    'members.search': () => ({ members: [member], total: 1, next: null }),
    'members.passes': () => detail,
    'passes.cancel': cancelled,
    ...extra,
  });
}

async function openMember() {
  await screen.findByTestId('member-query', {}, { timeout: 15_000 });
  fireEvent.change(screen.getByTestId('member-query'), { target: { value: '한가람' } });
  fireEvent.click(screen.getByTestId('member-search'));
  fireEvent.click(await screen.findByTestId('member-result', {}, { timeout: 15_000 }));
  return screen.findByTestId('member-detail');
}
const rowOf = (opened: HTMLElement, passSeq: number) => within(opened).getAllByTestId('pass-row').find((r) => r.dataset.pass === String(passSeq))!;

beforeEach(() => {
  signedOut();
  useMembers.setState({ query: '', results: { state: 'idle' }, userId: null, member: { state: 'idle' }, groups: { state: 'idle' }, packages: { state: 'idle' }, warnings: [] });
});
afterEach(() => {
  cleanup();
  act(() => useLang.getState().setLang('ko'));
});

test('a sold pass asks how much is handed back, from 0 to its price, says its booking still to come goes with it, sends the amount and the reason, and then reads as cancelled with its refund', async () => {
  const bridge = bridgeFor([PT, BONUS, OLD], ({ passSeq, refund, reason }) => ({
    detail: {
      member: { ...member, livePasses: 1 },
      groups: [],
      passes: [{ ...PT, status: 'CANCELLED', cancelledAt: new Date().toISOString(), refund, cancelReason: reason ?? null }, BONUS, OLD].filter((p) => p.passSeq === passSeq || p !== PT),
      bookings: [],
      upcoming: { bookings: 0, waitlist: 0 },
    },
    cancelled: { bookings: 1, waitlist: 0, promoted: 0, notified: 1 },
  }));
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('members'));
  const opened = await openMember();
  // an expired pass offers no cancel; the two live ones do, each named for a screen reader
  expect(within(rowOf(opened, 13)).queryByTestId('pass-cancel-open')).toBeNull();
  expect(within(rowOf(opened, 11)).getByTestId('pass-cancel-open').textContent).toBe('취소… (PT 10회 / 60일 이용권, 환불 포함)');
  expect(within(rowOf(opened, 11)).getByTestId('pass-cancel-open').querySelector('.visually-hidden')!.textContent).toBe(' (PT 10회 / 60일 이용권, 환불 포함)');

  fireEvent.click(within(rowOf(opened, 11)).getByTestId('pass-cancel-open'));
  const dialog = await screen.findByTestId('pass-cancel');
  expect(within(dialog).getByTestId('pass-cancel-intro').textContent).toBe('한가람님의 PT 10회 / 60일 이용권을 취소합니다. 취소한 이용권은 다시 쓸 수 없고, 기록으로 남습니다. 판매 금액: 300,000원 (카드).');
  // the booking still to come made with it, not the past one nor the bonus pass's
  expect(within(dialog).getByTestId('pass-cancel-bookings').textContent).toBe('이 이용권으로 예약한 앞으로의 수업 1개는 취소되고, 회원에게 알림이 갑니다.');
  const refund = within(dialog).getByTestId('pass-refund') as HTMLInputElement;
  expect(document.activeElement).toBe(refund);
  const submit = within(dialog).getByTestId('pass-cancel-submit') as HTMLButtonElement;
  // nothing assumed: no amount, no cancel
  expect(submit.disabled).toBe(true);
  expect(dialog.textContent).toContain('돌려줄 금액을 쓰세요 (없으면 0).');
  fireEvent.change(refund, { target: { value: '300,001' } });
  expect(submit.disabled).toBe(true);
  expect(dialog.textContent).toContain('0부터 300,000원까지의 금액을 숫자로 쓰세요.');
  fireEvent.click(within(dialog).getByTestId('pass-refund-full'));
  expect(refund.value).toBe('300000');
  fireEvent.change(refund, { target: { value: '250,000' } });
  fireEvent.change(within(dialog).getByTestId('pass-cancel-reason'), { target: { value: '이사' } });
  expect(submit.disabled).toBe(false);
  fireEvent.click(submit);

  await waitFor(() => expect(bridge.calls.filter((c) => c.operation === 'passes.cancel').map((c) => c.input)).toEqual([{ passSeq: 11, refund: 250_000, reason: '이사' }]));
  await waitFor(() => expect(screen.queryByTestId('pass-cancel')).toBeNull());
  expect(document.body.textContent).toContain('PT 10회 / 60일 이용권을 취소했습니다. 돌려준 금액: 250,000원. 수업 예약 1개를 함께 취소하고 회원에게 알렸습니다.');
  // the same message in English spells the amount its own way
  act(() => useLang.getState().setLang('en'));
  await waitFor(() => expect(document.body.textContent).toContain('The PT 10회 / 60일 pass was cancelled; ₩250,000 refunded. 1 booking went with it; the member is told.'));
  act(() => useLang.getState().setLang('ko'));
  const row = rowOf(await screen.findByTestId('member-detail'), 11);
  expect(within(row).getByTestId('pass-cancelled').textContent).toMatch(/^\d{4}\. \d{1,2}\. \d{1,2}\. 취소 · 환불 250,000원이사$/);
  expect(within(row).queryByTestId('pass-cancel-open')).toBeNull();
  expect(row.querySelector('[data-status]')?.getAttribute('data-status')).toBe('CANCELLED');
});

test('a pass not sold asks no amount and sends none; the dialog is in English when the console is', async () => {
  const bridge = bridgeFor([PT, BONUS], ({ passSeq }) => ({
    detail: { member, groups: [], passes: [PT, { ...BONUS, status: 'CANCELLED', cancelledAt: new Date().toISOString() }].filter((p) => p.passSeq !== passSeq || p.status === 'CANCELLED'), bookings: [], upcoming: { bookings: 0, waitlist: 0 } },
    cancelled: { bookings: 1, waitlist: 0, promoted: 0, notified: 1 },
  }));
  await signInWith(bridge, 'desk');
  act(() => useLang.getState().setLang('en'));
  act(() => useUi.getState().go('members'));
  const opened = await openMember();
  fireEvent.click(within(rowOf(opened, 12)).getByTestId('pass-cancel-open'));
  const dialog = await screen.findByTestId('pass-cancel');
  expect(within(dialog).getByTestId('pass-cancel-intro').textContent).toContain('This pass was not sold (a bulk grant, an imported pass or a bonus): there is nothing to refund.');
  expect(within(dialog).queryByTestId('pass-refund')).toBeNull();
  expect(within(dialog).getByTestId('pass-cancel-bookings').textContent).toBe('Its 1 booking of classes still to come will be cancelled, and the member told.');
  expect(document.activeElement).toBe(within(dialog).getByTestId('pass-cancel-reason'));
  fireEvent.click(within(dialog).getByTestId('pass-cancel-submit'));
  await waitFor(() => expect(bridge.calls.filter((c) => c.operation === 'passes.cancel').map((c) => c.input)).toEqual([{ passSeq: 12 }]));
  await waitFor(() => expect(document.body.textContent).toContain('The 오픈 보너스 PT pass was cancelled. 1 booking went with it; the member is told.'));
});

test('a refusal is said in the dialog, which stays open with what was typed', async () => {
  const { BridgeError } = await import('../../../renderer/src/bridge/Bridge.ts');
  const bridge = bridgeFor([PT], () => Promise.reject(new BridgeError('CONFLICT', { ko: 'PT 10회 / 60일 이용권은 이미 만료되어 취소할 수 없습니다.', en: 'expired' })));
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('members'));
  const opened = await openMember();
  fireEvent.click(within(rowOf(opened, 11)).getByTestId('pass-cancel-open'));
  const dialog = await screen.findByTestId('pass-cancel');
  fireEvent.change(within(dialog).getByTestId('pass-refund'), { target: { value: '0' } });
  fireEvent.click(within(dialog).getByTestId('pass-cancel-submit'));
  await waitFor(() => expect(within(dialog).getByTestId('pass-cancel-error').textContent).toBe('PT 10회 / 60일 이용권은 이미 만료되어 취소할 수 없습니다.'));
  expect((within(dialog).getByTestId('pass-refund') as HTMLInputElement).value).toBe('0');
});

test('extending a pass asks days or uses and a reason, says what the pass will be before the button, and sends them', async () => {
  const bridge = bridgeFor([PT, BONUS, OLD], () => ({}), {
    'passes.extend': (input: { passSeq: number; days?: number; uses?: number }) => ({
    detail: { member, groups: [], passes: [{ ...PT, endedAt: new Date(Date.parse(PT.endedAt) + (input.days ?? 0) * DAY).toISOString(), remainingCount: 8 + (input.uses ?? 0) }, BONUS, OLD], bookings: [], upcoming: { bookings: 0, waitlist: 0 } },
    before: { endedAt: PT.endedAt, remainingCount: 8 },
    after: { endedAt: PT.endedAt, remainingCount: 10 },
    }),
  });
  await signInWith(bridge, 'desk');
  act(() => useUi.getState().go('members'));
  const opened = await openMember();
  // an expired pass offers no extension
  expect(within(rowOf(opened, 13)).queryByTestId('pass-extend-open')).toBeNull();
  fireEvent.click(within(rowOf(opened, 11)).getByTestId('pass-extend-open'));
  const dialog = await screen.findByTestId('pass-extend');
  expect(within(dialog).getByTestId('pass-extend-intro').textContent).toMatch(/^한가람님의 PT 10회 \/ 60일 이용권에 기간이나 횟수를 더합니다\. 지금: .+까지 · 8회\.$/);
  expect(document.activeElement).toBe(within(dialog).getByTestId('pass-extend-days'));
  const submit = within(dialog).getByTestId('pass-extend-submit') as HTMLButtonElement;
  expect(submit.disabled).toBe(true);
  expect(dialog.textContent).toContain('늘릴 기간이나 횟수를 쓰세요.');
  fireEvent.change(within(dialog).getByTestId('pass-extend-uses'), { target: { value: '두 번' } });
  expect(dialog.textContent).toContain('1부터 999까지의 숫자로 쓰세요.');
  fireEvent.change(within(dialog).getByTestId('pass-extend-uses'), { target: { value: '2' } });
  fireEvent.change(within(dialog).getByTestId('pass-extend-days'), { target: { value: '7' } });
  expect(within(dialog).getByTestId('pass-extend-after').textContent).toMatch(/^연장하면: .+까지 · 10회$/);
  // no reason, no extension
  expect(submit.disabled).toBe(true);
  expect(dialog.textContent).toContain('연장 사유를 쓰세요.');
  fireEvent.change(within(dialog).getByTestId('pass-extend-reason'), { target: { value: '설 연휴 휴관' } });
  expect(submit.disabled).toBe(false);
  fireEvent.click(submit);
  await waitFor(() => expect(bridge.calls.filter((c) => c.operation === 'passes.extend').map((c) => c.input)).toEqual([{ passSeq: 11, days: 7, uses: 2, reason: '설 연휴 휴관' }]));
  await waitFor(() => expect(screen.queryByTestId('pass-extend')).toBeNull());
  expect(document.body.textContent).toMatch(/PT 10회 \/ 60일 이용권을 연장했습니다: .+까지 · 10회\./);
});
