// The console: sign-in, then the navigation the staff member's role allows and the open screen.
// Each screen is its own chunk, fetched when first opened (the chart library comes with the
// statistics screen, the virtual list with the executions screen), so the sign-in page loads
// only the shell.
import { lazy, Suspense, useEffect, useState, type ComponentType, type LazyExoticComponent } from 'react';
import { bridge } from './bridge/index.ts';
import { ConfirmHost, Dialog, Loading, Toasts } from './components/common.tsx';
import { LanguageSwitch } from './components/LanguageSwitch.tsx';
import { useLang, useT } from './i18n/i18n.ts';
import { ROLE_NAME } from './i18n/words.ts';
import { focusSoon, inTextField } from './lib/focus.ts';
import { ChangePasswordScreen } from './screens/ChangePasswordScreen.tsx';
import { LoginScreen } from './screens/LoginScreen.tsx';
import { useBulkGrants } from './stores/bulkGrants.ts';
import { useImports } from './stores/imports.ts';
import { useExecutions } from './stores/executions.ts';
import { atLeast, useSession } from './stores/session.ts';
import { homeOf, SCREENS, useUi, type Screen } from './stores/ui.ts';

const SCREEN_VIEW: Record<Screen, LazyExoticComponent<ComponentType>> = {
  executions: lazy(() => import('./screens/ExecutionsScreen.tsx').then((m) => ({ default: m.ExecutionsScreen }))),
  schedules: lazy(() => import('./screens/SchedulesScreen.tsx').then((m) => ({ default: m.SchedulesScreen }))),
  members: lazy(() => import('./screens/MembersScreen.tsx').then((m) => ({ default: m.MembersScreen }))),
  classes: lazy(() => import('./screens/ClassesScreen.tsx').then((m) => ({ default: m.ClassesScreen }))),
  imports: lazy(() => import('./screens/ImportScreen.tsx').then((m) => ({ default: m.ImportScreen }))),
  bulkGrants: lazy(() => import('./screens/BulkGrantsScreen.tsx').then((m) => ({ default: m.BulkGrantsScreen }))),
  packages: lazy(() => import('./screens/PackagesScreen.tsx').then((m) => ({ default: m.PackagesScreen }))),
  statistics: lazy(() => import('./screens/StatisticsScreen.tsx').then((m) => ({ default: m.StatisticsScreen }))),
  reports: lazy(() => import('./screens/ReportsScreen.tsx').then((m) => ({ default: m.ReportsScreen }))),
  audit: lazy(() => import('./screens/AuditScreen.tsx').then((m) => ({ default: m.AuditScreen }))),
  settings: lazy(() => import('./screens/SettingsScreen.tsx').then((m) => ({ default: m.SettingsScreen }))),
  staff: lazy(() => import('./screens/StaffScreen.tsx').then((m) => ({ default: m.StaffScreen }))),
  notifications: lazy(() => import('./screens/NotificationsScreen.tsx').then((m) => ({ default: m.NotificationsScreen }))),
  kiosk: lazy(() => import('./screens/KioskScreen.tsx').then((m) => ({ default: m.KioskScreen }))),
};
const KioskNeedsAccount = lazy(() => import('./screens/KioskScreen.tsx').then((m) => ({ default: m.KioskNeedsAccount })));

export function App() {
  const status = useSession((s) => s.status);
  const me = useSession((s) => s.me);
  const restore = useSession((s) => s.restore);
  const changingPassword = useSession((s) => s.changingPassword);
  const lang = useLang((s) => s.lang);
  const kioskMode = useUi((s) => s.kioskMode);
  const { t } = useT();

  useEffect(() => {
    void restore();
    // a sign-in or sign-out in another tab of the browser is followed here too
    useSession.getState().followOtherTabs();
  }, [restore]);

  useEffect(() => {
    document.documentElement.lang = lang;
    // Signed in, the shell names the open screen ("작업 실행 · 패스 콘솔").
    if (status !== 'signedIn') document.title = lang === 'ko' ? '패스 콘솔' : 'Pass Console';
  }, [lang, status]);

  // One live stream per signed-in staff session, fanned out to the stores that show progress (the
  // kiosk shows no execution). The executions list is a manager's: the front desk's stream carries
  // its bulk grants' and imports' runs, and the list would ask the service for what the desk may
  // not read (a refused request at every scheduled grant).
  const role = me?.role;
  useEffect(() => {
    if (status !== 'signedIn' || role === undefined || role === 'KIOSK' || kioskMode) return;
    const seesExecutions = atLeast(role, 'MANAGER');
    return bridge().subscribe((event) => {
      if (seesExecutions) useExecutions.getState().onEvent(event);
      useBulkGrants.getState().onEvent(event);
      useImports.getState().onEvent(event);
    });
  }, [status, role, kioskMode]);

  if (status === 'checking') return <Loading />;
  if (status === 'signedOut' || !me) {
    return (
      <>
        {kioskMode && (
          <p className="notice kiosk-sign-in-note" role="note" data-testid="kiosk-sign-in-note">
            {t('kioskSignInNote')}
          </p>
        )}
        <LoginScreen />
        <Toasts />
      </>
    );
  }
  // A generated or admin-set password is changed before anything else.
  if (me.mustChangePassword || changingPassword) {
    return (
      <>
        <ChangePasswordScreen />
        <Toasts />
      </>
    );
  }
  // A kiosk account sees the kiosk screen and nothing else, wherever it signs in; the kiosk's
  // window never shows the console, whoever signs in there.
  if (me.role === 'KIOSK' || kioskMode) return <KioskShell />;
  return <Shell />;
}

/** The check-in kiosk's whole window: no navigation, no other screen. */
function KioskShell() {
  const role = useSession((s) => s.me)!.role;
  return (
    <main className="kiosk-main" id="main-content" data-screen="kiosk">
      <Suspense fallback={<Loading />}>{role === 'KIOSK' ? <ScreenView screen="kiosk" /> : <KioskNeedsAccount />}</Suspense>
      <ConfirmHost />
      <Toasts />
    </main>
  );
}

function Shell() {
  const me = useSession((s) => s.me)!;
  const logout = useSession((s) => s.logout);
  const screen = useUi((s) => s.screen);
  const go = useUi((s) => s.go);
  const syncFromHash = useUi((s) => s.syncFromHash);
  const { t, pick } = useT();
  const allowed = SCREENS.filter((s) => atLeast(me.role, s.least));
  const current = screen && allowed.some((s) => s.id === screen) ? screen : homeOf(me.role);
  const [showShortcuts, setShowShortcuts] = useState(false);
  const currentLabel = SCREENS.find((s) => s.id === current)!.label;

  useEffect(() => {
    window.addEventListener('hashchange', syncFromHash);
    return () => window.removeEventListener('hashchange', syncFromHash);
  }, [syncFromHash]);

  // On arriving at a screen (after sign-in too) its heading takes the focus and names the page.
  useEffect(() => {
    focusSoon(`main[data-screen="${current}"] h1`);
  }, [current]);
  useEffect(() => {
    document.title = `${t(currentLabel)} · ${t('appName')}`;
  });

  // A desk's shortcuts, never while typing in a field or with a dialog open (listed under "?").
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || inTextField(e.target)) return;
      if (document.querySelector('dialog[open]')) return;
      const click = (selector: string) => {
        const el = document.querySelector<HTMLElement>(selector);
        if (!el || el.matches(':disabled')) return false;
        el.click();
        return true;
      };
      let done = false;
      if (e.key === '?') {
        setShowShortcuts(true);
        done = true;
      } else if (e.key === '/') {
        const field = document.querySelector<HTMLElement>('main [role=search] input, main [role=search] select');
        field?.focus();
        done = field !== null;
      } else if (e.key === 'n') done = click('main [data-shortcut="n"]');
      else if (e.key === 'r') done = click('main [data-shortcut="r"]');
      if (done) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="shell">
      <a
        className="skip-link"
        href="#main-content"
        onClick={(e) => {
          // the address's #hash names the screen: move the focus without touching it
          e.preventDefault();
          focusSoon(`main[data-screen="${current}"] h1`);
        }}
        data-testid="skip-link"
      >
        {t('skipToContent')}
      </a>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">P</span>
          {t('appName')}
        </div>
        <nav aria-label={t('appName')}>
          <ul>
            {allowed.map((s) => (
              <li key={s.id}>
                <a
                  href={`#/${s.id}`}
                  className={s.id === current ? 'active' : ''}
                  aria-current={s.id === current ? 'page' : undefined}
                  data-testid={`nav-${s.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    go(s.id);
                  }}
                >
                  {t(s.label)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-foot">
          <div className="who">
            <strong data-testid="me-username">{me.username}</strong>
            <span className="role-tag" data-testid="me-role">
              {pick(ROLE_NAME[me.role])}
            </span>
          </div>
          <LanguageSwitch />
          <button type="button" className="btn btn-ghost" onClick={() => useSession.getState().openChangePassword()} data-testid="change-password-open">
            {t('changePassword')}
          </button>
          <button type="button" className="btn btn-ghost" onClick={() => void logout()} data-testid="sign-out">
            {t('signOut')}
          </button>
        </div>
      </aside>
      <main className="content" id="main-content" data-screen={current}>
        <Suspense fallback={<Loading />}>
          <ScreenView screen={current} />
        </Suspense>
      </main>
      <ConfirmHost />
      {showShortcuts && <ShortcutsDialog onClose={() => setShowShortcuts(false)} />}
      <Toasts />
    </div>
  );
}

function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useT();
  const keys: [string[], Parameters<typeof t>[0]][] = [
    [['?'], 'shortcutHelp'],
    [['/'], 'shortcutSearch'],
    [['n'], 'shortcutRegister'],
    [['r'], 'shortcutRefresh'],
    [['Esc'], 'shortcutEscape'],
    [['↑', '↓', 'PgUp', 'PgDn', 'Home', 'End', 'Enter'], 'shortcutGrid'],
  ];
  return (
    <Dialog title={t('shortcuts')} onClose={onClose} testId="shortcuts-dialog">
      <p className="muted">{t('shortcutsHint')}</p>
      <dl className="shortcut-list">
        {keys.map(([k, word]) => (
          <div key={word} style={{ display: 'contents' }}>
            <dt>
              {k.map((key, i) => (
                <span key={key}>
                  {i > 0 && ' '}
                  <kbd>{key}</kbd>
                </span>
              ))}
            </dt>
            <dd>{t(word)}</dd>
          </div>
        ))}
      </dl>
      <div className="modal-actions">
        <button type="button" className="btn btn-primary" onClick={onClose} data-autofocus="">
          {t('close')}
        </button>
      </div>
    </Dialog>
  );
}

function ScreenView({ screen }: { screen: Screen }) {
  const View = SCREEN_VIEW[screen];
  return <View />;
}
