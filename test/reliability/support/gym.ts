// Seeded demo gyms for the reliability tests: one template per backend, seeded once, and cheap
// clones of it (an SQLite file copy; on MariaDB a migrated database filled by INSERT ... SELECT),
// so every trial starts from the same rows without seeding again.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type Database, type JobDefinition, type ParameterSpec } from '../../../main/batch/index.ts';
import { seedDemoGym, type DemoGymOptions } from '../../../main/pass/demo/demoGym.ts';
import { freshDatabase, type Backend, type TestDatabase } from '../../support/databases.ts';

/** 2026-03-10 (a Tuesday) 09:52 in Seoul: classes start at 10:00, yesterday has bookings. */
export const NOW = new Date('2026-03-10T00:52:00.000Z');
export const TIME_ZONE = 'Asia/Seoul';
export const HISTORY_DAYS = 10;

/** Tables a clone copies, parents first. */
const DOMAIN_TABLES = ['package', 'user', 'user_group_mapping', 'bulk_pass', 'pass', 'booking', 'notification', 'statistics', 'report'];

export interface GymTemplate {
  source: TestDatabase;
  /** a new database holding the template's rows */
  clone(): Promise<TestDatabase>;
  dispose(): Promise<void>;
}

export async function gymTemplate(backend: Backend, gym: DemoGymOptions): Promise<GymTemplate> {
  const source = await freshDatabase(backend);
  await seedDemoGym(source.db, gym);
  const clones: TestDatabase[] = [];
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'pass-rel-gym-'));
    const file = join(dir, 'template.sqlite');
    await sql.raw(`VACUUM INTO '${file}'`).execute(source.db.kysely);
    let counter = 0;
    return {
      source,
      clone: async () => {
        const cloneDir = mkdtempSync(join(tmpdir(), 'pass-rel-clone-'));
        const path = join(cloneDir, `gym-${counter++}.sqlite`);
        copyFileSync(file, path);
        const url = `sqlite:${path}`;
        const db = await openDatabase(url);
        const clone: TestDatabase = {
          backend,
          url,
          db,
          dispose: async () => {
            await db.close().catch(() => undefined);
            rmSync(cloneDir, { recursive: true, force: true });
          },
        };
        clones.push(clone);
        return clone;
      },
      dispose: async () => {
        for (const c of clones.splice(0)) await c.dispose();
        await source.dispose();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const sourceName = new URL(source.url).pathname.slice(1);
  return {
    source,
    clone: async () => {
      const clone = await freshDatabase('mysql');
      await clone.db.kysely.connection().execute(async (c) => {
        await sql.raw('SET FOREIGN_KEY_CHECKS = 0').execute(c);
        for (const table of DOMAIN_TABLES) await sql.raw(`INSERT INTO \`${table}\` SELECT * FROM \`${sourceName}\`.\`${table}\``).execute(c);
        await sql.raw('SET FOREIGN_KEY_CHECKS = 1').execute(c);
      });
      clones.push(clone);
      return clone;
    },
    dispose: async () => {
      for (const c of clones.splice(0)) await c.dispose();
      await source.dispose();
    },
  };
}

/**
 * Fixed values for every parameter that would otherwise come from the clock, so every run sees
 * the same moment; a job that grows a date parameter this does not know fails here, loudly.
 */
export function fixedParameters(job: JobDefinition<any>, reportDir: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, spec] of Object.entries(job.params as Record<string, ParameterSpec>)) {
    if (spec.type === 'dateTime') {
      if (name === 'now' || name === 'to') params[name] = NOW.toISOString();
      else if (name === 'from') params[name] = new Date(NOW.getTime() - HISTORY_DAYS * 86_400_000).toISOString();
      else throw new Error(`${job.name} has a date parameter "${name}" with no fixed value here: add one to fixedParameters`);
    }
    if (name === 'reportDir') params[name] = reportDir;
  }
  return params;
}

export type { Database };
