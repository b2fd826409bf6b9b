// Opening the database for a command, and saying in plain words why it could not be opened:
// a front-desk PC with MariaDB switched off should read "connection refused", not a stack.
import { databaseUrlFromEnv, DatabaseUrlError, openDatabase, redactUrl } from '../batch/index.ts';
import { knownMigrationCount, migrate, openRuntime, type Runtime } from '../app/runtime.ts';
import { DatabaseUnreachableError } from './errors.ts';
import { cliActor } from './audit.ts';
import type { Cli } from './io.ts';

/** Why a connection failed, by driver error code; anything else is not about reaching it. */
const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused (is the database server running?)',
  ENOTFOUND: 'the host name was not found',
  EAI_AGAIN: 'the host name could not be looked up',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  ETIMEDOUT: 'the connection timed out',
  ECONNRESET: 'the server closed the connection',
  PROTOCOL_CONNECTION_LOST: 'the server closed the connection',
  ER_ACCESS_DENIED_ERROR: 'the user name or password was refused',
  ER_DBACCESS_DENIED_ERROR: 'this user may not use that database',
  ER_BAD_DB_ERROR: 'the database does not exist (create it first)',
  ER_CON_COUNT_ERROR: 'the server has too many connections',
  SQLITE_CANTOPEN: 'the file cannot be opened',
  SQLITE_NOTADB: 'the file is not an SQLite database',
  SQLITE_READONLY: 'the file is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a folder on the path is a file',
};

function unreachableReason(error: unknown): string | undefined {
  // Kysely's migrator and our MigrationError wrap the driver's error: walk down the causes.
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && UNREACHABLE[e.code]) return UNREACHABLE[e.code];
  }
  return undefined;
}

/** The URL with its password hidden, as it may be printed. */
function displayUrl(cli: Cli): string {
  return redactUrl(cli.dbUrl ?? databaseUrlFromEnv());
}

function translate(error: unknown, cli: Cli): unknown {
  if (error instanceof DatabaseUrlError) return error;
  const reason = unreachableReason(error);
  return reason ? new DatabaseUnreachableError(`Cannot open the database at ${displayUrl(cli)}: ${reason}`, { cause: error }) : error;
}

/** The runtime every command but `migrate` works in: migrated, orphans recovered. */
export async function openCliRuntime(cli: Cli): Promise<Runtime> {
  try {
    const runtime = await openRuntime({ dbUrl: cli.dbUrl, jobs: cli.jobs, timeZone: cli.timeZone, actor: cliActor() });
    // The zone staff saved in the console wins over PASS_TIME_ZONE: print times in the one the jobs use.
    cli.timeZone = runtime.operator.timeZone;
    return runtime;
  } catch (error) {
    throw translate(error, cli);
  }
}

export async function withRuntime<T>(cli: Cli, body: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await openCliRuntime(cli);
  try {
    return await body(runtime);
  } catch (error) {
    throw translate(error, cli);
  } finally {
    await runtime.close().catch(() => undefined);
  }
}

/**
 * `migrate` opens the database without the runtime: openRuntime migrates silently, and this
 * command exists to say which migrations it applied.
 */
export async function migrateDatabase(cli: Cli): Promise<{ url: string; applied: string[]; keptAs?: string; known: number }> {
  try {
    const db = await openDatabase(cli.dbUrl);
    try {
      return { url: db.displayUrl, ...(await migrate(db, cliActor())), known: knownMigrationCount() };
    } finally {
      await db.close().catch(() => undefined);
    }
  } catch (error) {
    throw translate(error, cli);
  }
}
