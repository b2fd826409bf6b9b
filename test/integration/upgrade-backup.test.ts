// A new version of the app migrates the gym's database the first time it opens it; the database
// as the version before left it is kept first, as a backup the Settings screen lists and a restore
// puts back (main/batch/upgradeBackup.ts). No copy, no upgrade. Nothing to keep: a database that is
// up to date, a new file, MySQL (its server's tools back it up).
import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { migrations } from '../../db/migrations/index.ts';
import { backUpBeforeMigrating, findBackups, migrateToLatest, openDatabase, UpgradeBackupError } from '../../main/batch/index.ts';
import { openRuntime } from '../../main/app/runtime.ts';
import { startLine } from '../../main/app/console.ts';
import { startFailure } from '../../main/electron/menus.ts';
import { describeEachBackend, freshDatabase } from '../support/databases.ts';

/** every migration but the newest: a database as the version before this one left it */
const previousVersion = Object.fromEntries(Object.entries(migrations).slice(0, -1));
const newest = Object.keys(migrations).at(-1)!;

describe('upgrading an embedded database', () => {
  let dir: string;
  let file: string;
  let backups: string;
  const savedBackupDir = process.env.PASS_BACKUP_DIR;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pass-upgrade-'));
    file = join(dir, 'gym.sqlite');
    backups = join(dir, 'backups');
    delete process.env.PASS_BACKUP_DIR; // the default folder: `backups` beside the database
  });
  afterEach(() => {
    if (savedBackupDir === undefined) delete process.env.PASS_BACKUP_DIR;
    else process.env.PASS_BACKUP_DIR = savedBackupDir;
    rmSync(dir, { recursive: true, force: true });
  });

  /** the file at the previous version, with one member in it */
  async function previousVersionWithAMember(): Promise<void> {
    const db = await openDatabase(`sqlite:${file}`);
    try {
      await migrateToLatest(db, previousVersion);
      await db.kysely.insertInto('user').values({ user_id: 'm1', user_name: '김하나', status: 'ACTIVE', created_at: '2026-12-01 10:00:00.000' } as never).execute();
    } finally {
      await db.close();
    }
  }
  const migrationsIn = (path: string) => {
    const db = new BetterSqlite3(path, { readonly: true });
    try {
      return (db.prepare('SELECT name FROM pass_migration ORDER BY name').all() as Array<{ name: string }>).map((r) => r.name);
    } finally {
      db.close();
    }
  };
  const membersIn = (path: string) => {
    const db = new BetterSqlite3(path, { readonly: true });
    try {
      return db.prepare('SELECT user_id, user_name FROM user').all();
    } finally {
      db.close();
    }
  };

  test('the first start of a new version keeps the database as the version before left it, in the backup folder under a backup’s name, then upgrades it', async () => {
    await previousVersionWithAMember();
    const runtime = await openRuntime({ dbUrl: `sqlite:${file}` });
    try {
      const kept = runtime.keptBeforeUpgrade!;
      expect(kept).toBeDefined();
      // listed like the nightly copies (the Settings screen and a restore find it)
      expect((await findBackups(file, backups)).map((b) => b.path)).toEqual([kept]);
      expect(basename(kept)).toMatch(/^gym-\d{8}T\d{6}Z\.sqlite$/);
      expect(migrationsIn(kept)).toEqual(Object.keys(previousVersion));
      expect(membersIn(kept)).toEqual([{ user_id: 'm1', user_name: '김하나' }]);
      expect(migrationsIn(file)).toContain(newest);
      expect(startLine(runtime)).toContain(`Upgraded; the database as it was is kept in ${kept}.`);
      // a change like any other: its row in the activity log, by whoever started the new version
      const rows = await runtime.db.kysely.selectFrom('audit_log').select(['actor', 'action', 'target', 'detail']).where('action', '=', 'database.upgrade').execute();
      expect(rows).toEqual([{ actor: expect.stringMatching(/^app:/), action: 'database.upgrade', target: `file:${kept}`, detail: JSON.stringify({ applied: [newest], keptAs: kept }) }]);
    } finally {
      await runtime.close();
    }
    // the next start finds nothing to upgrade: no second copy, no second row
    const again = await openRuntime({ dbUrl: `sqlite:${file}` });
    try {
      expect(again.keptBeforeUpgrade).toBeUndefined();
      expect(startLine(again)).not.toContain('Upgraded');
      expect(await again.db.kysely.selectFrom('audit_log').select('audit_seq').where('action', '=', 'database.upgrade').execute()).toHaveLength(1);
    } finally {
      await again.close();
    }
    expect(readdirSync(backups)).toHaveLength(1);
  });

  test('a new file has nothing to keep: no copy is made and no backup folder appears', async () => {
    const runtime = await openRuntime({ dbUrl: `sqlite:${file}` });
    try {
      expect(runtime.keptBeforeUpgrade).toBeUndefined();
      expect(migrationsIn(file)).toContain(newest);
    } finally {
      await runtime.close();
    }
    expect(readdirSync(dir).filter((name) => name === 'backups')).toEqual([]);
  });

  test('the copy goes to the folder the nightly backup is set to write to', async () => {
    await previousVersionWithAMember();
    const nightly = join(dir, 'nightly');
    const db = new BetterSqlite3(file);
    const at = '2026-12-01 10:00:00.000';
    db.prepare('INSERT INTO BATCH_SCHEDULE (JOB_NAME, CRON, TIME_ZONE, ENABLED, MISFIRE_POLICY, PARAMS, ACTIVE_SINCE, CREATED_AT, MODIFIED_AT) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)').run(
      'backupDatabaseJob',
      '45 3 * * *',
      'Asia/Seoul',
      'RUN_ONCE',
      JSON.stringify({ backupDir: nightly }),
      at,
      at,
      at,
    );
    db.close();
    const runtime = await openRuntime({ dbUrl: `sqlite:${file}` });
    try {
      expect(runtime.keptBeforeUpgrade!.startsWith(join(nightly, 'gym-'))).toBe(true);
    } finally {
      await runtime.close();
    }
  });

  test('when no copy can be written anywhere, the start is refused in plain words and the database is left as it was', async () => {
    await previousVersionWithAMember();
    writeFileSync(backups, 'a file where the backup folder should be');
    const opening = openRuntime({ dbUrl: `sqlite:${file}` });
    await expect(opening).rejects.toBeInstanceOf(UpgradeBackupError);
    await expect(opening).rejects.toThrow(/The database was not upgraded: a copy of it as it is could not be kept first .*Nothing was changed\. Make room on the disk or fix the backup folder, then start again\./);
    // the desktop's error box says it in the system's language
    const refusal = await opening.catch((error: unknown) => error);
    expect(startFailure(refusal, 'ko')).toMatch(/^데이터베이스를 업그레이드하지 않았습니다\. .*바뀐 것은 없습니다\. 디스크 공간을 확보하거나 백업 폴더를 고친 뒤 다시 시작하세요\.$/);
    expect(startFailure(refusal, 'en')).toBe((refusal as Error).message);
    expect(migrationsIn(file)).toEqual(Object.keys(previousVersion));
    expect(membersIn(file)).toEqual([{ user_id: 'm1', user_name: '김하나' }]);
    // with the folder free again, the next start keeps its copy and upgrades
    rmSync(backups);
    mkdirSync(backups);
    const runtime = await openRuntime({ dbUrl: `sqlite:${file}` });
    try {
      expect(runtime.keptBeforeUpgrade).toBeDefined();
      expect(migrationsIn(file)).toContain(newest);
    } finally {
      await runtime.close();
    }
  });
});

describeEachBackend('nothing to keep before migrating', (backend) => {
  test('a database that is up to date is not copied: the step before migrating runs only when a migration is still to apply', async () => {
    const t = await freshDatabase(backend);
    try {
      let called = 0;
      const applied = await migrateToLatest(t.db, migrations, { beforeApplying: async () => void called++ });
      expect(applied).toEqual([]);
      expect(called).toBe(0);
      if (backend === 'mysql') expect(await backUpBeforeMigrating(t.db)).toBeUndefined();
    } finally {
      await t.dispose();
    }
  });
});
