// @vitest-environment happy-dom
// The one modal Dialog (issue 21): where the focus goes when it opens and closes, Tab kept
// inside, Escape closing only the topmost dialog; and the desk's shortcuts staying quiet in a
// text field. (The browser tests check the same in Chromium, with the page behind inert.)
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { confirmAction, ConfirmHost, Dialog } from '../../../renderer/src/components/common.tsx';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { cancelFocusSoon } from '../../../renderer/src/lib/focus.ts';
import { fakeBridge } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

function Form() {
  const [open, setOpen] = useState(false);
  const [confirmed, setConfirmed] = useState<string>('');
  return (
    <div>
      <button type="button" onClick={() => setOpen(true)} data-testid="opener">
        open
      </button>
      <span data-testid="confirmed">{confirmed}</span>
      {open && (
        <Dialog title="Launch" onClose={() => setOpen(false)} testId="form-dialog">
          <button type="button" className="btn btn-ghost close" aria-label="close" onClick={() => setOpen(false)}>
            ×
          </button>
          <input data-testid="field" defaultValue="" />
          <button
            type="button"
            data-testid="submit"
            onClick={() => void confirmAction({ title: 'Sure?', body: 'Really', confirmLabel: 'Go' }).then((ok) => setConfirmed(String(ok)))}
          >
            submit
          </button>
        </Dialog>
      )}
      <ConfirmHost />
    </div>
  );
}

// focusSoon's wait is the module's own: one a test left waiting (a heading these bare renders never
// have) must not decide where the next test's closing dialog puts the focus
afterEach(() => {
  cleanup();
  cancelFocusSoon();
});

describe('the modal dialog', () => {
  test('it opens on its first field, keeps Tab inside, and gives the focus back to its opener when closed', async () => {
    render(<Form />);
    screen.getByTestId('opener').focus();
    fireEvent.click(screen.getByTestId('opener'));
    const dialog = await screen.findByTestId('form-dialog');
    expect(dialog.tagName).toBe('DIALOG');
    expect((dialog as HTMLDialogElement).open).toBe(true);
    expect(document.activeElement).toBe(screen.getByTestId('field'));
    expect(dialog.getAttribute('aria-labelledby')).toBe(dialog.querySelector('h2')!.id);

    // Tab on the last control comes back to the first; Shift+Tab on the first goes to the last.
    screen.getByTestId('submit').focus();
    fireEvent.keyDown(screen.getByTestId('submit'), { key: 'Tab' });
    expect(document.activeElement).toBe(dialog.querySelector('.close'));
    fireEvent.keyDown(document.activeElement!, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(screen.getByTestId('submit'));

    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('form-dialog')).toBeNull());
    expect(document.activeElement).toBe(screen.getByTestId('opener'));
  });

  test('a confirmation whose action cancels something offers "돌아가기" / "Go back" as the way out, not a second "취소" / "Cancel"', async () => {
    render(<ConfirmHost />);
    for (const [lang, label, dismiss] of [
      ['ko', '예약 취소', '돌아가기'],
      ['ko', '등록', '취소'],
      ['en', 'Cancel grant', 'Go back'],
      ['en', 'Register', 'Cancel'],
    ] as const) {
      act(() => useLang.getState().setLang(lang));
      let answer: Promise<boolean> | undefined;
      act(() => void (answer = confirmAction({ title: 'Sure?', body: 'Really', confirmLabel: label, danger: true })));
      expect((await screen.findByTestId('confirm-cancel')).textContent, label).toBe(dismiss);
      expect(screen.getByTestId('confirm-ok').textContent).toBe(label);
      fireEvent.click(screen.getByTestId('confirm-cancel'));
      expect(await answer).toBe(false);
      await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());
    }
    act(() => useLang.getState().setLang('ko'));
  });

  test('Escape in a confirmation over a dialog closes only the confirmation, and the filled-in field stays', async () => {
    render(<Form />);
    fireEvent.click(screen.getByTestId('opener'));
    const field = (await screen.findByTestId('field')) as HTMLInputElement;
    fireEvent.change(field, { target: { value: 'kept' } });
    screen.getByTestId('submit').focus();
    fireEvent.click(screen.getByTestId('submit'));
    const confirm = await screen.findByTestId('confirm-dialog');
    // Not destructive: the confirm button has the focus.
    expect(document.activeElement).toBe(screen.getByTestId('confirm-ok'));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());
    expect(confirm.isConnected).toBe(false);
    expect(screen.getByTestId('form-dialog')).toBeTruthy();
    expect((screen.getByTestId('field') as HTMLInputElement).value).toBe('kept');
    expect(screen.getByTestId('confirmed').textContent).toBe('false');
    // Back on the button that asked.
    expect(document.activeElement).toBe(screen.getByTestId('submit'));
  });

  test('a destructive confirmation puts the focus on Cancel, so Enter does not stop a job', async () => {
    render(<ConfirmHost />);
    let answer: boolean | null = null;
    act(() => {
      void confirmAction({ title: 'Stop', body: 'Stop #4?', confirmLabel: 'Stop', danger: true }).then((ok) => (answer = ok));
    });
    const dialog = await screen.findByTestId('confirm-dialog');
    expect(dialog.getAttribute('role')).toBe('alertdialog');
    expect(document.activeElement).toBe(screen.getByTestId('confirm-cancel'));
    expect(dialog.getAttribute('aria-describedby')).toBe(dialog.querySelector('.modal-body')!.id);
    fireEvent.click(document.activeElement!);
    await waitFor(() => expect(answer).toBe(false));
  });
});

describe('the desk shortcuts', () => {
  beforeEach(() => signedOut());

  test('"?" lists the shortcuts, "/" goes to the search field, and neither fires inside a text field', async () => {
    await signInWith(fakeBridge({ 'session.me': () => Promise.reject(new Error('signed out')), 'packages.list': () => [] }), 'desk');
    expect(document.querySelector('main')!.dataset.screen).toBe('members');
    // the screen is a lazy chunk: on a loaded machine it may take longer than findBy's default second
    const search = await screen.findByTestId('member-query', undefined, { timeout: 15_000 });
    await waitFor(() => expect(document.title).toBe('회원 이용권 · 패스 콘솔'));

    fireEvent.keyDown(search, { key: '?' });
    expect(screen.queryByTestId('shortcuts-dialog')).toBeNull();

    search.blur();
    fireEvent.keyDown(document.body, { key: '/' });
    expect(document.activeElement).toBe(search);

    search.blur();
    fireEvent.keyDown(document.body, { key: '?' });
    const list = await screen.findByTestId('shortcuts-dialog');
    expect(list.textContent).toContain('검색 칸으로 가기');
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('shortcuts-dialog')).toBeNull());
  });
});
