// The console: sign-in, then the navigation the staff member's role allows and the open screen.
// Each screen is its own chunk, fetched when first opened (the chart library comes with the
// statistics screen, the virtual list with the executions screen), so the sign-in page loads
// only the shell.
import { lazy, Suspense, useEffect, type ComponentType, type LazyExoticComponent } from 'react';
import { bridge } from './bridge/index.ts';
import { ConfirmHost, Loading, Toasts } from './components/common.tsx';
import { LanguageSwitch } from './components/LanguageSwitch.tsx';
import { useLang, useT } from './i18n/i18n.ts';
import { ROLE_NAME } from './i18n/words.ts';
import { LoginScreen } from './screens/LoginScreen.tsx';
import { useBulkGrants } from './stores/bulkGrants.ts';
import { useExecutions } from './stores/executions.ts';
import { atLeast, useSession } from './stores/session.ts';
import { homeOf, SCREENS, useUi, type Screen } from './stores/ui.ts';

const SCREEN_VIEW: Record<Screen, LazyExoticComponent<ComponentType>> = {
  executions: lazy(() => import('./screens/ExecutionsScreen.tsx').then((m) => ({ default: m.ExecutionsScreen }))),
  schedules: lazy(() => import('./screens/SchedulesScreen.tsx').then((m) => ({ default: m.SchedulesScreen }))),
  members: lazy(() => import('./screens/MembersScreen.tsx').then((m) => ({ default: m.MembersScreen }))),
  bulkGrants: lazy(() => import('./screens/BulkGrantsScreen.tsx').then((m) => ({ default: m.BulkGrantsScreen }))),
  statistics: lazy(() => import('./screens/StatisticsScreen.tsx').then((m) => ({ default: m.StatisticsScreen }))),
  reports: lazy(() => import('./screens/ReportsScreen.tsx').then((m) => ({ default: m.ReportsScreen }))),
  audit: lazy(() => import('./screens/AuditScreen.tsx').then((m) => ({ default: m.AuditScreen }))),
  settings: lazy(() => import('./screens/SettingsScreen.tsx').then((m) => ({ default: m.SettingsScreen }))),
  staff: lazy(() => import('./screens/StaffScreen.tsx').then((m) => ({ default: m.StaffScreen }))),
};

export function App() {
  const status = useSession((s) => s.status);
  const me = useSession((s) => s.me);
  const restore = useSession((s) => s.restore);
  const lang = useLang((s) => s.lang);

  useEffect(() => {
    void restore();
  }, [restore]);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = lang === 'ko' ? '패스 콘솔' : 'Pass Console';
  }, [lang]);

  // One live stream per signed-in session, fanned out to the stores that show progress.
  useEffect(() => {
    if (status !== 'signedIn') return;
    return bridge().subscribe((event) => {
      useExecutions.getState().onEvent(event);
      useBulkGrants.getState().onEvent(event);
    });
  }, [status]);

  if (status === 'checking') return <Loading />;
  if (status === 'signedOut' || !me) {
    return (
      <>
        <LoginScreen />
        <Toasts />
      </>
    );
  }
  return <Shell />;
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

  useEffect(() => {
    window.addEventListener('hashchange', syncFromHash);
    return () => window.removeEventListener('hashchange', syncFromHash);
  }, [syncFromHash]);

  return (
    <div className="shell">
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
          <button type="button" className="btn btn-ghost" onClick={() => void logout()} data-testid="sign-out">
            {t('signOut')}
          </button>
        </div>
      </aside>
      <main className="content" data-screen={current}>
        <Suspense fallback={<Loading />}>
          <ScreenView screen={current} />
        </Suspense>
      </main>
      <ConfirmHost />
      <Toasts />
    </div>
  );
}

function ScreenView({ screen }: { screen: Screen }) {
  const View = SCREEN_VIEW[screen];
  return <View />;
}
