// The console as each screen test starts it: signed out, in Korean, on no screen; then rendered
// against a bridge and signed in through the sign-in screen.
import { fireEvent, render, screen } from '@testing-library/react';
import { App } from '../../../renderer/src/App.tsx';
import type { Bridge } from '../../../renderer/src/bridge/Bridge.ts';
import { setBridge } from '../../../renderer/src/bridge/index.ts';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { useSession } from '../../../renderer/src/stores/session.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';

export function signedOut(): void {
  localStorage.clear();
  location.hash = '';
  useLang.setState({ lang: 'ko' });
  useSession.setState({ status: 'checking', me: null, error: null });
  useUi.setState({ screen: null, toasts: [] });
}

export async function signInWith(bridge: Bridge, username: string): Promise<void> {
  setBridge(bridge);
  render(<App />);
  await screen.findByText('직원 로그인');
  fireEvent.change(document.querySelector('input[name=username]')!, { target: { value: username } });
  fireEvent.change(document.querySelector('input[name=password]')!, { target: { value: 'password1' } });
  fireEvent.click(screen.getByTestId('sign-in'));
  await screen.findByTestId('me-username');
}
