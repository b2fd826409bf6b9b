// The Settings screen's Backups through the service: the copies listed newest first with the
// moment in their names, "back up now" running backupDatabaseJob with the nightly schedule's
// parameters (same folder, same count kept), only for admins, and on MySQL a plain refusal.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { backupDatabaseJob, backupDatabaseSchedule, sqlitePath } from '../../main/batch/index.ts';
import { describeEachBackend } from '../support/databases.ts';
import { refused, serviceHarness, snapshot, waitForEnd, type ServiceHarness } from '../support/serviceHarness.ts';
import { allowFolder } from '../support/folders.ts';

describeEachBackend('backups through the service', (backend) => {
  let h: ServiceHarness;
  let dir: string;
  beforeEach(async () => {
    h = await serviceHarness(backend, { scheduler: true, extraJobs: [backupDatabaseJob] });
    await h.scheduler!.ensureDefaults([backupDatabaseSchedule]);
    dir = mkdtempSync(join(tmpdir(), 'pass-backups-'));
    await allowFolder(h.database.db.kysely, dir);
  });
  afterEach(async () => {
    await h.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test('only an admin sees or makes backups', async () => {
    for (const role of ['MANAGER', 'FRONT_DESK'] as const) {
      expect((await refused(h.service.call(h.sessions[role], 'backups.list', {}))).code).toBe('FORBIDDEN');
      expect((await refused(h.service.call(h.sessions[role], 'backups.run', {}))).code).toBe('FORBIDDEN');
    }
    expect((await refused(h.service.call(h.sessions.ADMIN, 'backups.run', { keep: 1 } as never))).code).toBe('VALIDATION');
  });

  if (backend === 'mysql') {
    test('on MySQL: not supported, and "back up now" is refused in plain words, writing nothing', async () => {
      expect(await h.service.call(h.sessions.ADMIN, 'backups.list', {})).toEqual({ supported: false, databaseFile: null, folder: null, keep: null, backups: [] });
      const before = await snapshot(h);
      const error = await refused(h.service.call(h.sessions.ADMIN, 'backups.run', {}));
      expect(error.code).toBe('CONFLICT');
      expect(error.status).toBe(409);
      expect(error.message).toContain('mysqldump');
      expect(await snapshot(h)).toEqual(before);
    });
    return;
  }

  test('"back up now" uses the nightly schedule’s folder and count, and the list shows the copies newest first', async () => {
    const admin = h.sessions.ADMIN;
    await h.service.call(admin, 'schedules.update', { job: 'backupDatabaseJob', params: { keep: 2, backupDir: dir } });
    const stem = sqlitePath(h.database.db.url).split('/').at(-1)!.replace(/\.sqlite$/, '');
    writeFileSync(join(dir, `${stem}-20261101T034500Z.sqlite`), 'an old copy');
    writeFileSync(join(dir, `${stem}-20261102T034500Z.sqlite`), 'a newer old copy');
    writeFileSync(join(dir, 'notes.txt'), 'not a backup');

    const before = await h.service.call(admin, 'backups.list', {});
    expect(before).toMatchObject({ supported: true, databaseFile: sqlitePath(h.database.db.url), folder: dir, keep: 2 });
    expect(before.backups.map((b) => [b.fileName, b.takenAt, b.sizeBytes])).toEqual([
      [`${stem}-20261102T034500Z.sqlite`, '2026-11-02T03:45:00.000Z', 'a newer old copy'.length],
      [`${stem}-20261101T034500Z.sqlite`, '2026-11-01T03:45:00.000Z', 'an old copy'.length],
    ]);

    const started = await h.service.call(admin, 'backups.run', {});
    expect(started.jobName).toBe('backupDatabaseJob');
    expect(await waitForEnd(h, started.id)).toBe('COMPLETED');

    const after = await h.service.call(admin, 'backups.list', {});
    expect(after.backups).toHaveLength(2);
    expect(after.backups[0]!.fileName).toMatch(new RegExp(`^${stem}-\\d{8}T\\d{6}Z\\.sqlite$`));
    expect(after.backups[0]!.sizeBytes).toBeGreaterThan(4096);
    expect(after.backups[1]!.fileName).toBe(`${stem}-20261102T034500Z.sqlite`);

    const audit = await h.service.call(admin, 'audit.list', { action: 'backups.run' });
    expect(audit.items[0]).toMatchObject({ actor: 'admin', target: `execution:${started.id}`, detail: { params: { keep: 2, backupDir: dir } } });
  });
});
