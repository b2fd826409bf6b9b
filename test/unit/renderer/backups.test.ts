// The Settings screen's backups store against a fake bridge: "back up now" follows its execution
// to the end, then shows the new list; a failed backup says why in its first line; a refusal
// (MySQL) comes back as the service worded it; the button is busy only while one runs.
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { BackupsView } from '../../../main/service/contract.ts';
import { BridgeError } from '../../../renderer/src/bridge/Bridge.ts';
import { setBridge } from '../../../renderer/src/bridge/index.ts';
import { useBackups } from '../../../renderer/src/stores/backups.ts';
import { fakeBridge, summary } from './fakeBridge.ts';

const copy = (at: string) => ({ fileName: `gym-${at}.sqlite`, path: `/data/backups/gym-${at}.sqlite`, takenAt: '2026-12-05T03:45:00.000Z', sizeBytes: 704_512 });
const view = (backups: BackupsView['backups']): BackupsView => ({ supported: true, databaseFile: '/data/gym.sqlite', folder: '/data/backups', keep: 14, backups });

let listed: BackupsView;
let states: string[];
let runningSeen: Array<number | null>;
let unsubscribe: () => void;
beforeEach(() => {
  useBackups.setState({ backups: { state: 'idle' }, runningId: null });
  listed = view([copy('20261204T034500Z')]);
  runningSeen = [];
  unsubscribe = useBackups.subscribe((s) => runningSeen.push(s.runningId));
});
afterEach(() => unsubscribe());

function bridgeWith(run: () => unknown) {
  const bridge = fakeBridge({
    'backups.list': () => listed,
    'backups.run': run,
    'executions.get': () => {
      const status = states.shift() ?? 'COMPLETED';
      if (status === 'COMPLETED') listed = view([copy('20261205T090000Z'), ...listed.backups]);
      return { ...summary(7, { jobName: 'backupDatabaseJob', status, exitMessage: status === 'FAILED' ? 'Could not write the backup /data/backups/x: ENOSPC\n    at copy' : '' }), steps: [] };
    },
  });
  setBridge(bridge);
  return bridge;
}

test('back up now follows the execution to its end, then lists the new copy', async () => {
  states = ['STARTED', 'STARTED', 'COMPLETED'];
  const bridge = bridgeWith(() => summary(7, { jobName: 'backupDatabaseJob', status: 'STARTED' }));
  await useBackups.getState().reload();
  expect(useBackups.getState().backups).toMatchObject({ state: 'ready', data: { backups: [{ fileName: 'gym-20261204T034500Z.sqlite' }] } });

  expect(await useBackups.getState().backUpNow()).toEqual({ ok: true });
  expect(bridge.calls.filter((c) => c.operation === 'executions.get')).toHaveLength(3);
  expect(bridge.calls.at(-1)).toEqual({ operation: 'backups.list', input: {} });
  const names = (useBackups.getState().backups as { data: BackupsView }).data.backups.map((b) => b.fileName);
  expect(names).toEqual(['gym-20261205T090000Z.sqlite', 'gym-20261204T034500Z.sqlite']);
  expect(runningSeen).toContain(7);
  expect(useBackups.getState().runningId).toBeNull();
});

test('a failed backup says why, in its first line, and the list is read again', async () => {
  states = ['FAILED'];
  const bridge = bridgeWith(() => summary(7, { jobName: 'backupDatabaseJob', status: 'STARTED' }));
  const outcome = await useBackups.getState().backUpNow();
  expect(outcome).toEqual({
    ok: false,
    error: { ko: '백업하지 못했습니다: Could not write the backup /data/backups/x: ENOSPC', en: 'The backup failed: Could not write the backup /data/backups/x: ENOSPC' },
  });
  expect(bridge.calls.at(-1)?.operation).toBe('backups.list');
  expect(useBackups.getState().runningId).toBeNull();
});

test('a refusal comes back as the service worded it, and nothing is followed', async () => {
  const words = { ko: '이 데이터베이스는 MySQL/MariaDB입니다.', en: 'This database is MySQL/MariaDB.' };
  const bridge = bridgeWith(() => {
    throw new BridgeError('CONFLICT', words, undefined, 409);
  });
  expect(await useBackups.getState().backUpNow()).toEqual({ ok: false, error: words });
  expect(bridge.calls.map((c) => c.operation)).toEqual(['backups.run']);
  expect(runningSeen.every((id) => id === null)).toBe(true);
});
