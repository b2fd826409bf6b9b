// Numbered migrations, applied in order and recorded, so running them again does nothing.
import { Migrator, sql, type Migration, type MigrationResult } from 'kysely';
import type { Database } from './connection.ts';

export type Migrations = Record<string, Migration>;

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/**
 * Brings the schema up to the newest migration; returns the names it applied (none when current).
 * `beforeApplying` runs first when some are still to apply (and only then): a throw there stops
 * the migration with nothing changed.
 */
export async function migrateToLatest(db: Database, migrations: Migrations, options: { beforeApplying?: (pending: string[]) => Promise<void> } = {}): Promise<string[]> {
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'pass_migration',
    migrationLockTableName: 'pass_migration_lock',
  });
  if (options.beforeApplying) {
    const pending = (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
    if (pending.length) await options.beforeApplying(pending);
  }
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r: MigrationResult) => r.status === 'Error')?.migrationName;
    throw new MigrationError(
      `Database migration ${failed ?? ''} failed: ${(error as Error).message ?? String(error)}`.replace('  ', ' '),
      { cause: error },
    );
  }
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  // New tables and indexes need statistics before the first job plans its queries.
  if (applied.length && db.dialect === 'sqlite') await sql`PRAGMA optimize`.execute(db.kysely);
  return applied;
}
