// @vitest-environment happy-dom
// The notification outbox in the words of a gym's staff: resending a failed notification is
// explained without developers' terms (an "idempotency key" / "멱등 키"), in Korean and English;
// the filter's days are typed as 2026-12-07, whatever the browser's locale.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { useNotifications } from '../../../renderer/src/stores/notifications.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const failed = {
  notificationSeq: 41, event: 'EXPIRY_REMINDER', userId: 'M1000002', userName: '정서선', text: '정서선님, 이용권이 사흘 뒤에 만료됩니다.',
  status: 'FAILED', attempts: 5, lastError: 'Webhook answered 502 Bad Gateway', createdAt: '2026-12-07T06:00:00.000Z', sentAt: null,
  idempotencyKey: 'EXPIRY_REMINDER:pass:8:ENDING',
};

/** A manager on the Notifications screen, the outbox holding the one failed notification above. */
async function outboxWithOneFailed() {
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'notifications.list': () => ({ items: [failed], next: null }),
  });
  await signInWith(bridge, 'manager');
  act(() => useUi.getState().go('notifications'));
  await screen.findByTestId('notification-row', {}, { timeout: 15_000 }); // a wait for a busy machine, not a limit on the screen
  return bridge;
}

beforeEach(() => {
  signedOut();
  useNotifications.setState({ filter: { userId: '', from: '', to: '', status: '' }, filterProblem: null, list: { state: 'idle' } });
});
afterEach(cleanup);

test('resending a failed notification is asked and explained in plain words, with its reference, in Korean and in English', async () => {
  const bridge = await outboxWithOneFailed();

  const developersWords = /멱등|idempotency/i;
  for (const lang of ['ko', 'en'] as const) {
    act(() => useLang.setState({ lang }));
    const note = screen.getByTestId('notification-resend-note').textContent!;
    expect(note).not.toMatch(developersWords);
    expect(note).toMatch(lang === 'ko' ? /참조 번호/ : /same reference/);

    fireEvent.click(screen.getByTestId('notification-resend'));
    const dialog = (await screen.findByTestId('confirm-dialog')).textContent!;
    expect(dialog).not.toMatch(developersWords);
    expect(dialog).toContain('EXPIRY_REMINDER:pass:8:ENDING');
    expect(dialog).toContain(lang === 'ko' ? '정서선 회원에게 알림 #41을 다시 보낼까요?' : 'Resend notification #41 to 정서선?');
    fireEvent.click(screen.getByTestId('confirm-cancel'));
    await act(async () => {});
  }
  expect(bridge.calls.filter((c) => c.operation === 'notifications.resend')).toEqual([]);
});

test('the filter’s days are typed as 2026-12-07 whatever the browser’s locale: a day that is not one, or a last day before the first, is said and asks nothing; days typed are the ones asked for', async () => {
  const bridge = await outboxWithOneFailed();
  const asked = () => bridge.calls.filter((c) => c.operation === 'notifications.list').map((c) => c.input);
  const first = asked().length;
  const from = screen.getByTestId('notification-from') as HTMLInputElement;
  const to = screen.getByTestId('notification-to') as HTMLInputElement;
  expect([from.type, to.type, from.placeholder]).toEqual(['text', 'text', 'YYYY-MM-DD']);
  const errorUnder = () => to.closest('label.field')!.querySelector('.field-error')?.textContent;
  for (const [typedFrom, typedTo, said] of [
    ['2026-02-30', '', '날짜가 올바르지 않습니다.'],
    ['', '12/07/2026', '날짜가 올바르지 않습니다.'],
    ['2026-12-07', '2026-12-01', '종료일이 시작일보다 앞입니다.'],
  ] as const) {
    fireEvent.change(from, { target: { value: typedFrom } });
    fireEvent.change(to, { target: { value: typedTo } });
    fireEvent.click(screen.getByTestId('notification-search'));
    await waitFor(() => expect(errorUnder()).toBe(said));
    expect(screen.queryByTestId('notification-row')).toBeNull();
  }
  expect(asked()).toHaveLength(first);
  fireEvent.change(from, { target: { value: '2026-12-01' } });
  fireEvent.change(to, { target: { value: '2026-12-07' } });
  fireEvent.click(screen.getByTestId('notification-search'));
  await screen.findByTestId('notification-row');
  expect(errorUnder()).toBeUndefined();
  expect(asked().at(-1)).toEqual({ pageSize: 50, from: '2026-12-01', to: '2026-12-08' });
});
