// Settings through the service on both databases: defaults until changed, only ADMIN, every
// change audited in the same transaction, a hand-edited nonsense row ignored, and the database
// test's plain-words answers without the password.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { redactUrl, toDbTime } from '../../main/batch/index.ts';
import { defaultSettings, notifierSettingsOf, readSettings, testDatabaseUrl } from '../../main/service/settings.ts';
import { serviceDb } from '../../main/service/tables.ts';
import * as settingsMigration from '../../db/migrations/005_settings.ts';
import { describeEachBackend } from '../support/databases.ts';
import { refused, serviceHarness, type ServiceHarness } from '../support/serviceHarness.ts';

describeEachBackend('service settings', (backend) => {
  let h: ServiceHarness;
  let dir: string;
  beforeAll(async () => {
    h = await serviceHarness(backend);
    dir = mkdtempSync(join(tmpdir(), 'pass-settings-'));
  });
  afterAll(async () => {
    await h?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is for ADMIN only', async () => {
    for (const role of ['FRONT_DESK', 'MANAGER'] as const) {
      for (const [name, input] of [
        ['settings.get', {}],
        ['settings.update', { language: 'en' }],
        ['settings.testDatabase', { url: h.database.url }],
        ['settings.testNotifier', {}],
      ] as const) {
        expect((await refused(h.service.call(h.sessions[role], name, input))).code, `${role} ${name}`).toBe('FORBIDDEN');
      }
    }
  });

  it('answers defaults until changed, then the stored values', async () => {
    const admin = h.sessions.ADMIN;
    const fresh = await h.service.call(admin, 'settings.get', {});
    expect(fresh).toMatchObject({ timeZone: 'Asia/Seoul', language: 'ko', modifiedAt: null, modifiedBy: null });
    const logPath = join(dir, 'n.log');
    // a log outside the data folder goes in a folder an admin allowed first
    await h.service.call(admin, 'settings.update', { allowedFolders: [dir] });
    const changed = await h.service.call(admin, 'settings.update', { timeZone: ' Europe/Berlin ', notifier: { kind: 'logFile', path: logPath } });
    expect(changed).toMatchObject({ timeZone: 'Europe/Berlin', language: 'ko', notifier: { kind: 'logFile', path: logPath }, modifiedBy: 'admin' });
    expect(new Date(changed.modifiedAt!).getTime()).toBeGreaterThan(Date.now() - 60_000);
    // the same value again is fine (an update of the row, not a second row)
    await h.service.call(admin, 'settings.update', { timeZone: 'Europe/Berlin' });
    const rows = await serviceDb(h.database.db).selectFrom('settings').selectAll().execute();
    expect(rows.map((r) => r.setting_key).sort()).toEqual(['allowedFolders', 'notifier', 'timeZone']);
    const audit = await h.service.call(admin, 'audit.list', { action: 'settings.update' });
    expect(audit.items[0]!.detail).toEqual({ timeZone: { from: 'Europe/Berlin', to: 'Europe/Berlin' } });
    expect(audit.items[1]!.detail).toMatchObject({ timeZone: { from: 'Asia/Seoul', to: 'Europe/Berlin' }, notifier: { to: { kind: 'logFile', path: logPath } } });
  });

  it('ignores a stored row edited into nonsense, keeping the default', async () => {
    const db = serviceDb(h.database.db);
    await db.insertInto('settings').values({ setting_key: 'language', value: '"klingon"', modified_at: toDbTime(new Date()), modified_by: 'hand' }).execute();
    await db.insertInto('settings').values({ setting_key: 'unknownThing', value: '{"x": 1}', modified_at: toDbTime(new Date()), modified_by: 'hand' }).execute();
    const read = await readSettings(db, defaultSettings('Asia/Seoul', {}));
    expect(read.language).toBe('ko');
    expect(read.timeZone).toBe('Europe/Berlin');
    expect((await h.service.call(h.sessions.ADMIN, 'settings.get', {})).language).toBe('ko');
    await db.deleteFrom('settings').where('setting_key', 'in', ['language', 'unknownThing']).execute();
  });

  it('takes the notifier default from the environment', () => {
    expect(defaultSettings('UTC', { PASS_NOTIFIER_WEBHOOK_URL: 'https://relay.example/h', PASS_NOTIFIER_TIMEOUT_MS: '900' }).notifier).toEqual({ kind: 'webhook', url: 'https://relay.example/h', timeoutMs: 900 });
    expect(defaultSettings('UTC', { PASS_NOTIFIER_LOG: '/var/log/p.log' }).notifier).toEqual({ kind: 'logFile', path: '/var/log/p.log' });
    expect(defaultSettings('UTC', { PASS_NOTIFIER_WEBHOOK_HEADERS: '{bad' }).notifier).toEqual({ kind: 'logFile' });
    expect(notifierSettingsOf({ kind: 'webhook', url: 'https://r.example/' }, { PASS_NOTIFIER_RATE_PER_SECOND: '5' })).toEqual({ webhookUrl: 'https://r.example/', timeoutMs: undefined, ratePerSecond: 5 });
  });

  it('tests a database URL without creating anything or repeating the password', async () => {
    const ok = await testDatabaseUrl(h.database.url, 2000);
    expect(ok.ok).toBe(true);
    const missing = await testDatabaseUrl(`sqlite:${join(dir, 'nope', 'x.sqlite')}`, 2000);
    expect(missing).toMatchObject({ ok: false, error: { en: expect.stringContaining('no database file') } });
    const notDb = await testDatabaseUrl(`sqlite:${join(dir, 'n.log')}`, 2000);
    expect(notDb.ok).toBe(false);
    expect(redactUrl('mysql://u:p%40ss@h:1/d')).toBe('mysql://u:***@h:1/d');
    const refusedAt = await testDatabaseUrl('mysql://u:hunter2-secret@127.0.0.1:1/d', 2000);
    expect(refusedAt.ok).toBe(false);
    expect(JSON.stringify(refusedAt)).not.toContain('hunter2');
    expect(refusedAt.target).toBe('mysql://u:***@127.0.0.1:1/d');
  });

  it('has a migration that goes down and up again', async () => {
    const kysely = h.database.db.kysely;
    await settingsMigration.down(kysely);
    await expect(kysely.selectFrom('settings').selectAll().execute()).rejects.toThrow();
    await settingsMigration.up(kysely);
    expect(await kysely.selectFrom('settings').selectAll().execute()).toEqual([]);
  });
});
