// @vitest-environment happy-dom
// The Settings screen's Backups: in a browser the restore is the command line's, shown whole
// for this folder; in the desktop app it is the File menu's; on MySQL only a plain word that
// the database server makes the backups.
import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { BackupsView, SettingsView } from '../../../main/service/contract.ts';
import { useBackups } from '../../../renderer/src/stores/backups.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge } from './fakeBridge.ts';
import { signedOut, signInWith } from './signIn.tsx';

const settings = (dialect: 'sqlite' | 'mysql'): SettingsView => ({
  timeZone: 'Asia/Seoul',
  activeTimeZone: 'Asia/Seoul',
  language: 'ko',
  dataFolder: '/home/desk/.local/share/pass-console',
  allowedFolders: [],
  notifier: { kind: 'logFile' },
  database: { url: dialect === 'sqlite' ? 'sqlite:/data/gym.sqlite' : 'mysql://pass:***@db/pass', dialect },
  modifiedAt: null,
  modifiedBy: null,
  bookingPolicy: { cancelCutoffMinutes: 180, lateCancelCountsAsUse: true, deductNoShows: true },
});
const sqliteBackups: BackupsView = {
  supported: true,
  databaseFile: '/data/gym.sqlite',
  folder: '/data/backups',
  keep: 14,
  backups: [{ fileName: 'gym-20261205T034500Z.sqlite', path: '/data/backups/gym-20261205T034500Z.sqlite', takenAt: '2026-12-05T03:45:00.000Z', sizeBytes: 4_404_019 }],
};
const mysqlBackups: BackupsView = { supported: false, databaseFile: null, folder: null, keep: null, backups: [] };

beforeEach(() => {
  signedOut();
  useBackups.setState({ backups: { state: 'idle' }, runningId: null });
});
afterEach(cleanup);

async function openSettings(kind: 'http' | 'ipc', dialect: 'sqlite' | 'mysql') {
  const bridge = fakeBridge({
    'session.me': () => Promise.reject(new Error('signed out')),
    'jobs.list': () => [],
    'jobs.namesInHistory': () => [],
    'executions.list': () => ({ total: 0, page: 1, pageSize: 200, items: [] }),
    'settings.get': () => settings(dialect),
    'backups.list': () => (dialect === 'sqlite' ? sqliteBackups : mysqlBackups),
  });
  (bridge as { kind: string }).kind = kind;
  await signInWith(bridge, 'admin');
  act(() => useUi.getState().go('settings'));
  return screen.findByTestId('settings-backups');
}

test('in a browser: the copies newest first, back up now, and the restore command for this folder', async () => {
  const section = await openSettings('http', 'sqlite');
  expect((await screen.findByTestId('backup-folder')).textContent).toBe('/data/backups');
  expect(screen.getAllByTestId('backup-row').map((row) => row.textContent)).toEqual(['2026. 12. 5. 12:45gym-20261205T034500Z.sqlite4.2 MB']);
  expect(screen.getByTestId('backup-now').textContent).toBe('지금 백업');
  expect(screen.getByTestId('backup-restore-command').textContent).toBe('pass-batch restore /data/backups/<백업 파일> --yes');
  expect(section.textContent).not.toContain('파일 메뉴');
});

test('in the desktop app: the File menu restores, no command line is shown', async () => {
  const section = await openSettings('ipc', 'sqlite');
  await screen.findByTestId('backup-folder');
  expect(section.textContent).toContain('파일 메뉴의 "백업 되살리기…"');
  expect(screen.queryByTestId('backup-restore-command')).toBeNull();
});

test('on MySQL: the server backs it up; no list and no button', async () => {
  await openSettings('http', 'mysql');
  expect((await screen.findByTestId('backups-mysql')).textContent).toContain('mysqldump');
  expect(screen.queryByTestId('backup-now')).toBeNull();
  expect(screen.queryByTestId('backup-row')).toBeNull();
});
