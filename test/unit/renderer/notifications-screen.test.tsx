// @vitest-environment happy-dom
// The notification outbox in the words of a gym's staff: resending a failed notification is
// explained without developers' terms (an "idempotency key" / "멱등 키"), in Korean and English.
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const failed = {
  notificationSeq: 41, event: 'EXPIRY_REMINDER', userId: 'M1000002', userName: '정서선', text: '정서선님, 이용권이 사흘 뒤에 만료됩니다.',
  status: 'FAILED', attempts: 5, lastError: 'Webhook answered 502 Bad Gateway', createdAt: '2026-12-07T06:00:00.000Z', sentAt: null,
  idempotencyKey: 'EXPIRY_REMINDER:pass:8:ENDING',
};

beforeEach(signedOut);
afterEach(cleanup);

test('resending a failed notification is asked and explained in plain words, with its reference, in Korean and in English', async () => {
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'notifications.list': () => ({ items: [failed], next: null }),
  });
  await signInWith(bridge, 'manager');
  act(() => useUi.getState().go('notifications'));
  await screen.findByTestId('notification-row', {}, { timeout: 15_000 }); // a wait for a busy machine, not a limit on the screen

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
