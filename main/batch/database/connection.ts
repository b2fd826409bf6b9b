// One SQL layer over MySQL/MariaDB (mysql2 pool) and SQLite (better-sqlite3), chosen by
// PASS_DB_URL. Everything above this file speaks Kysely and never asks which one it got,
// except through the few helpers in dialect.ts.
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { isMainThread, workerData } from 'node:worker_threads';
import { CompiledQuery, Kysely, MysqlDialect, sql, SqliteDialect, type DatabaseConnection, type Driver, type SqliteDialectConfig, type Transaction } from 'kysely';
import { sleep } from '../retry.ts';
import type { Dialect } from './dialect.ts';
import { openSqliteFile } from './sqliteDriver.ts';

export interface Database {
  readonly kysely: Kysely<any>;
  readonly dialect: Dialect;
  /** The URL it was opened with, password removed: safe to print. */
  readonly displayUrl: string;
  /** The URL it was opened with: worker threads open their own connection with it. */
  readonly url: string;
  /**
   * Runs `work` as one transaction: what a chunk commits. BEGIN, COMMIT and `tx.run` go straight
   * to the driver (on SQLite the one connection's prepared statements, under Kysely's own lock;
   * on MySQL single queries on a pooled connection), and `tx.kysely` is a Kysely with
   * `this.kysely`'s plugins bound to that connection, made once and reused: this saves the chunk
   * loop the query machinery it would pay on every chunk. A copy of this object with another
   * `kysely` (a plugin added) runs its transactions there.
   */
  transaction<T>(work: (tx: TransactionScope) => Promise<T>): Promise<T>;
  /** sqlite: when a commit that returned is on disk (OpenOptions.synchronous); mysql: the server's setting. */
  readonly commitsSynced?: 'in-commit' | 'after-commit' | 'at-checkpoint';
  close(): Promise<void>;
}

/** A transaction as `Database.transaction` hands it out. */
export interface TransactionScope {
  /** for the writer's own statements */
  readonly kysely: Transaction<any>;
  /** one fixed statement with its parameters; answers how many rows it changed */
  run(sql: string, parameters: readonly unknown[]): Promise<number>;
}

/** A Kysely transaction (or connection) as a TransactionScope: its statements go through Kysely. */
export function scopeOf(tx: Kysely<any>): TransactionScope {
  return {
    kysely: tx as Transaction<any>,
    run: async (text, parameters) => Number((await tx.executeQuery(CompiledQuery.raw(text, [...parameters]))).numAffectedRows ?? 0),
  };
}

export class DatabaseUrlError extends Error {
  override name = 'DatabaseUrlError';
}

/** Where a desktop install keeps its SQLite file when PASS_DB_URL is not set. */
export function defaultDatabaseUrl(): string {
  const base =
    process.env.PASS_DATA_DIR ??
    (process.platform === 'win32'
      ? join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Pass Console')
      : process.platform === 'darwin'
        ? join(homedir(), 'Library', 'Application Support', 'Pass Console')
        : join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'pass-console'));
  return `sqlite:${join(base, 'pass-console.sqlite')}`;
}

export function databaseUrlFromEnv(): string {
  return process.env.PASS_DB_URL?.trim() || defaultDatabaseUrl();
}

export interface OpenOptions {
  /** mysql only: the most connections this process may hold. */
  poolSize?: number;
  /**
   * sqlite only: when a commit reaches the disk.
   * - NORMAL (the default, in WAL mode): a commit is atomic and the file stays sound, but the
   *   last commits before a power cut may be lost (the WAL is synced at checkpoints).
   * - FULL: SQLite syncs the WAL inside every commit, holding the write lock and the thread the
   *   while (a restore, which runs alone).
   * - AFTER_COMMIT: for the connection that records people's actions. SQLite commits as with
   *   NORMAL and lets go of the write lock; then, before the commit returns, the WAL is synced
   *   (fdatasync, off the thread), so once it returns it survives a power cut as with FULL,
   *   while the thread that serves people stays free and a job's next chunk need not wait for
   *   the sync. A later commit can't outlive it: the WAL's frames are checksummed in a chain,
   *   and a checkpoint syncs the WAL before it copies from it.
   */
  synchronous?: 'NORMAL' | 'FULL' | 'AFTER_COMMIT';
  /** sqlite, AFTER_COMMIT only, for tests: what syncs the WAL file (default: walSyncer's). */
  syncWal?: (walFile: string) => Promise<void>;
  /**
   * sqlite only: whose turn the write lock is when two connections want it. Either way a
   * transaction that finds the lock taken waits for it with the thread free, trying again every
   * 2 ms up to the busy timeout, instead of inside SQLite's busy handler, which holds the thread
   * and backs off up to 100 ms a try; a write outside a transaction is made a transaction of its
   * own, so it waits alike.
   * - 'people': the connection of the thread that serves people; while it waits it is counted
   *   in WRITERS_WAITING.
   * - 'job': the job thread's and the partition workers'; before each transaction it gives way
   *   while people wait (up to 250 ms), so a desk sale waits for one chunk, not the whole job.
   * Unset: SQLite's busy handler (one process alone on its file: the command line, tests).
   */
  lockTurn?: 'people' | 'job';
  /**
   * sqlite only: this connection never checkpoints the WAL itself (wal_autocheckpoint = 0);
   * another connection, on another thread, is asked to (checkpointWal). For the thread that
   * serves people: the commit that finds the WAL past 1,000 pages otherwise copies them into
   * the file and syncs both, on its own thread, before it returns. Other connections keep
   * SQLite's automatic checkpoints.
   */
  checkpointsElsewhere?: boolean;
}

export async function openDatabase(url = databaseUrlFromEnv(), options: OpenOptions = {}): Promise<Database> {
  if (url.startsWith('sqlite:')) return openSqlite(url, options);
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) return openMysql(url, options);
  throw new DatabaseUrlError(
    `PASS_DB_URL must look like mysql://user:pass@host:3306/db or sqlite:/path/file.sqlite (got "${redactUrl(url)}")`,
  );
}

/**
 * Copies what the WAL holds into the database file as far as no reader still needs it, without
 * waiting for anyone (SQLite's PASSIVE checkpoint): on another thread than a connection opened
 * with `checkpointsElsewhere`. Nothing on MySQL.
 */
export async function checkpointWal(db: Database): Promise<void> {
  if (db.dialect === 'sqlite') await sql`PRAGMA wal_checkpoint(PASSIVE)`.execute(db.kysely);
}

/** mysql://user:secret@host/db → mysql://user:***@host/db: a database URL as it may be printed. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}

/** The file an sqlite: URL names (sqlite:///abs, sqlite:/abs and sqlite:rel alike), or ':memory:'. */
export function sqlitePath(url: string): string {
  return url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
}

async function openSqlite(url: string, { synchronous = 'NORMAL', lockTurn, syncWal, checkpointsElsewhere }: OpenOptions): Promise<Database> {
  const path = sqlitePath(url);
  if (!path) throw new DatabaseUrlError('sqlite: URL needs a file path, e.g. sqlite:./pass.sqlite or sqlite::memory:');
  if (path !== ':memory:') {
    // The database holds members' names and phone numbers: a folder made here is its owner's
    // alone (0700), and so is a file made here (0600; SQLite gives its -wal and -shm the same).
    // A folder or file that was there already keeps its permissions: it may be shared on purpose.
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      closeSync(openSync(path, 'wx', 0o600));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const sqlite = await openSqliteFile(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma(`synchronous = ${synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  // Without table statistics SQLite picks a status index plus a sort for the keyset readers,
  // which makes each page re-read every due row (measured: 1,000,000 passes 209 s before, 4.5 s
  // after). optimize=0x10002 gathers the statistics it is missing, cheaply, at every open.
  sqlite.pragma('optimize = 0x10002');
  if (checkpointsElsewhere) sqlite.pragma('wal_autocheckpoint = 0');
  const afterCommit = synchronous === 'AFTER_COMMIT' && path !== ':memory:';
  const wal = afterCommit && !syncWal ? walSyncer(`${path}-wal`) : undefined;
  const committed = afterCommit ? new CommittedWrites(sqlite, wal ? wal.sync : () => syncWal!(`${path}-wal`)) : undefined;
  const statements = withStatementCache(sqlite, committed);
  const beginning =
    lockTurn === 'people'
      ? <T>(begin: () => T | Promise<T>) => beginYielding(sqlite, begin, true)
      : lockTurn === 'job'
        ? async <T>(begin: () => T | Promise<T>) => {
            await giveWayToPeople();
            return beginYielding(sqlite, begin);
          }
        : async <T>(begin: () => T | Promise<T>) => begin();
  const [begin, commit, rollback] = ['BEGIN IMMEDIATE', 'COMMIT', 'ROLLBACK'].map((text) => statements.prepare(text));
  /** BEGIN, `work`, COMMIT (ROLLBACK on a throw), the connection's lock held by the caller. */
  const transact = async <T>(work: () => Promise<T>): Promise<T> => {
    if (lockTurn) await beginning(() => begin!.run());
    else begin!.run();
    try {
      const result = await work();
      commit!.run();
      return result;
    } catch (error) {
      if (sqlite.inTransaction) rollback!.run();
      throw error;
    }
  };
  // On a connection that takes turns, a write that would commit by itself (a sign-out, a failed
  // sign-in's count, a lease renewal) is a transaction of its own, begun as every other is: in
  // SQLite's busy handler it would hold the thread while another connection writes, and find the
  // lock free only by chance between a job's chunks (up to the busy timeout, then SQLITE_BUSY).
  // A Kysely select never writes: only other queries look up whether their statement does.
  const alone = lockTurn
    ? <R>(query: CompiledQuery, execute: () => Promise<R>): Promise<R> =>
        !sqlite.inTransaction && query.query.kind !== 'SelectQueryNode' && statements.commitsAlone(query.sql) ? transact(execute) : execute()
    : undefined;
  const dialect = new BeginningSqliteDialect({ database: statements }, beginning, committed, alone);
  const kysely = new Kysely<any>({ dialect });
  const driver = dialect.driver!; // made by the Kysely above
  const run = (text: string, parameters: readonly unknown[]) => Promise.resolve(statements.prepare(text).run(parameters).changes);
  const inTransaction = <T>(kysely: Transaction<any>, work: (tx: TransactionScope) => Promise<T>): Promise<T> => transact(() => work({ kysely, run }));
  // What a transaction's writer gets: a Kysely with the plugins of the Kysely the transaction was
  // asked from, on the same statements, made once per such Kysely. It has no lock of its own: it
  // is used only inside a transaction, which holds the one connection's.
  const bound = new WeakMap<Kysely<any>, Transaction<any>>();
  const boundTo = (from: Kysely<any>) => {
    let tx = bound.get(from);
    if (!tx) bound.set(from, (tx = withPluginsOf(from, new SqliteDialect({ database: statements }))));
    return tx;
  };
  return {
    kysely,
    dialect: 'sqlite',
    url,
    displayUrl: url,
    // Kysely's own lock on the one connection (its driver's): no other query runs inside the transaction.
    async transaction<T>(this: Database, work: (tx: TransactionScope) => Promise<T>): Promise<T> {
      const tx = boundTo(this.kysely);
      await driver.acquireConnection();
      let result: T;
      try {
        result = await inTransaction(tx, work);
      } finally {
        void driver.releaseConnection(undefined as never);
      }
      // the sync, with the connection and the write lock free
      await committed?.synced();
      return result;
    },
    commitsSynced: synchronous === 'FULL' ? 'in-commit' : committed ? 'after-commit' : 'at-checkpoint',
    close: async () => {
      await kysely.destroy();
      await wal?.close();
    },
  };
}

const BUSY_TIMEOUT_MS = 15_000;

/**
 * How many transactions of the thread that serves people are waiting for SQLite's write lock
 * right now, in memory every thread of the process sees: the main thread makes it, and hands it
 * to the job thread and the partition workers in their workerData (piscinaEntry), where this
 * module picks it up. A job's connection gives way before each transaction while it is above
 * zero, so a desk sale waits for the chunk being written, not for a job that commits chunk after
 * chunk (it begins again within microseconds, and a 2 ms retry would rarely find the gap).
 */
const WRITERS_WAITING: Int32Array =
  !isMainThread && (workerData as { writersWaiting?: unknown } | null)?.writersWaiting instanceof Int32Array
    ? (workerData as { writersWaiting: Int32Array }).writersWaiting
    : new Int32Array(new SharedArrayBuffer(4));

/** The count above, to hand to a worker thread in its workerData as `writersWaiting`. */
export const writersWaiting = (): Int32Array => WRITERS_WAITING;

/** A job's transaction gives way to waiting people for at most this long: a job is never stopped by a stream of sales. */
const GIVE_WAY_MAX_MS = 250;

/** Before a job's transaction: wait while people's transactions wait for the lock (up to GIVE_WAY_MAX_MS). */
async function giveWayToPeople(): Promise<void> {
  if (Atomics.load(WRITERS_WAITING, 0) <= 0) return;
  const until = Date.now() + GIVE_WAY_MAX_MS;
  while (Atomics.load(WRITERS_WAITING, 0) > 0 && Date.now() < until) await sleep(1);
}

/**
 * Kysely's SQLite dialect whose transactions begin through `beginning` (see lockTurn), whose
 * writes outside a transaction run through `alone` (a transaction of their own, begun alike),
 * and whose queries that commit a write wait for its sync (AFTER_COMMIT).
 */
class BeginningSqliteDialect extends SqliteDialect {
  constructor(
    config: SqliteDialectConfig,
    private readonly beginning: (begin: () => Promise<void>) => Promise<void>,
    private readonly committed?: CommittedWrites,
    private readonly alone?: <R>(query: CompiledQuery, execute: () => Promise<R>) => Promise<R>,
  ) {
    super(config);
  }

  /** the one driver every Kysely made with this dialect shares: its lock is the connection's */
  driver: Driver | undefined;

  override createDriver(): Driver {
    const driver = (this.driver = super.createDriver());
    const begin = driver.beginTransaction.bind(driver);
    driver.beginTransaction = (connection, settings) => this.beginning(() => begin(connection, settings));
    const { committed, alone } = this;
    if (committed || alone) {
      // A write on its own goes through `alone`; one that committed (by itself, or Kysely's
      // COMMIT) returns once synced. SQLite's driver has one connection: it is wrapped once.
      const acquire = driver.acquireConnection.bind(driver);
      let wrapped: DatabaseConnection | undefined;
      driver.acquireConnection = async () => {
        const connection = await acquire();
        // (Database.transaction takes the lock this way before Kysely has made the connection)
        if (!connection) return connection;
        wrapped ??= {
          executeQuery: async <R>(query: CompiledQuery) => {
            const result = alone ? await alone(query, () => connection.executeQuery<R>(query)) : await connection.executeQuery<R>(query);
            if (committed?.unsynced) await committed.synced();
            return result;
          },
          streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => connection.streamQuery<R>(query, chunkSize),
        };
        return wrapped;
      };
    }
    return driver;
  }
}

/**
 * AFTER_COMMIT's bookkeeping: which statements wrote since the last commit, and whether a commit
 * that wrote is waiting for the WAL's sync. Every statement of the connection reports here once it
 * ran (withStatementCache), so a write that committed by itself, by COMMIT or inside
 * Database.transaction is seen alike; the code that awaits the statement then awaits synced().
 */
class CommittedWrites {
  #wrote = false;
  /** a commit that wrote is waiting for the WAL's sync */
  unsynced = false;

  constructor(
    private readonly sqlite: import('better-sqlite3').Database,
    private readonly sync: () => Promise<void>,
  ) {}

  /** After each statement (whether it writes and whether it is a ROLLBACK, known when it was prepared). */
  ran(writes: boolean, rollsBack: boolean): void {
    if (writes) this.#wrote = true;
    if (this.sqlite.inTransaction) return;
    if (this.#wrote && !rollsBack) this.unsynced = true;
    this.#wrote = false;
  }

  /** Syncs the WAL if a commit that wrote has not been synced yet. */
  async synced(): Promise<void> {
    if (!this.unsynced) return;
    this.unsynced = false;
    await this.sync();
  }
}

/**
 * fdatasync of an SQLite WAL file, on libuv's threads, through one handle kept open: the WAL
 * stays the same file while a connection to it is open (SQLite removes it when the last one
 * closes, or when the journal mode changes, which nothing here does). The first sync also syncs
 * the folder, so that a WAL made since the file was opened is found after a power cut. No WAL
 * (checkpointed and removed by the last connection to close): nothing to sync, SQLite synced the
 * database file.
 */
export function walSyncer(walFile: string): { sync(): Promise<void>; close(): Promise<void> } {
  let handle: Promise<FileHandle | undefined> | undefined;
  const opened = async (): Promise<FileHandle | undefined> => {
    let file: FileHandle;
    try {
      file = await open(walFile, 'r+');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    if (process.platform !== 'win32') {
      const folder = await open(dirname(walFile), 'r');
      try {
        await folder.sync();
      } finally {
        await folder.close();
      }
    }
    return file;
  };
  return {
    async sync() {
      handle ??= opened();
      const file = await handle.catch((error: unknown) => {
        handle = undefined;
        throw error;
      });
      if (file) await file.datasync();
      else handle = undefined;
    },
    async close() {
      const file = await handle?.catch(() => undefined);
      handle = undefined;
      await file?.close();
    },
  };
}

/**
 * BEGIN IMMEDIATE with busy_timeout 0, tried again every 2 ms while busy, so the thread is free
 * meanwhile. `counted`: while it waits it is one of WRITERS_WAITING (the people's side).
 */
async function beginYielding<T>(sqlite: import('better-sqlite3').Database, begin: () => T | Promise<T>, counted = false): Promise<T> {
  const until = Date.now() + BUSY_TIMEOUT_MS;
  let waiting = false;
  try {
    for (;;) {
      sqlite.pragma('busy_timeout = 0');
      try {
        return await begin();
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() > until) throw error;
      } finally {
        sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      }
      if (counted && !waiting) {
        waiting = true;
        Atomics.add(WRITERS_WAITING, 0, 1);
      }
      await sleep(2);
    }
  } finally {
    if (waiting) Atomics.sub(WRITERS_WAITING, 0, 1);
  }
}

/**
 * Kysely prepares every SQLite statement anew (BEGIN and COMMIT included); a chunk loop runs
 * the same few statements thousands of times, so keep the prepared ones, keyed by their SQL.
 */
function withStatementCache(sqlite: import('better-sqlite3').Database, committed?: CommittedWrites) {
  const cache = new Map<string, import('better-sqlite3').Statement>();
  /** the statements that write rows (not BEGIN, COMMIT, a PRAGMA, VACUUM or a schema change): outside a transaction each commits by itself */
  const writingRows = new WeakSet<import('better-sqlite3').Statement>();
  const statements = {
    close: () => sqlite.close(),
    /** whether `text` writes rows, worked out once when it is prepared */
    commitsAlone: (text: string) => writingRows.has(statements.prepare(text)),
    prepare(text: string) {
      // Every transaction takes the write lock at BEGIN (Kysely's too, which sends 'begin'): with
      // the jobs on a connection of their own, a deferred transaction that read before it wrote
      // would fail with SQLITE_BUSY_SNAPSHOT if the other connection committed between the two,
      // where BEGIN IMMEDIATE waits (busy_timeout) for the other's transaction to end.
      if (text === 'begin') text = 'BEGIN IMMEDIATE';
      let statement = cache.get(text);
      if (!statement) {
        if (cache.size >= 500) cache.delete(cache.keys().next().value!);
        statement = sqlite.prepare(text);
        if (committed) reportRuns(statement, committed);
        if (!statement.readonly && /^\s*(insert|update|delete|replace|with)\b/i.test(statement.source)) writingRows.add(statement);
        cache.set(text, statement);
      }
      return statement;
    },
  };
  return statements;
}

/** Each run of `statement` (run, all, get) is reported to `committed` once it ran. */
function reportRuns(statement: import('better-sqlite3').Statement, committed: CommittedWrites): void {
  const writes = !statement.readonly;
  const rollsBack = /^\s*rollback\b/i.test(statement.source);
  for (const method of ['run', 'all', 'get'] as const) {
    const original = statement[method] as (...parameters: unknown[]) => unknown;
    Object.defineProperty(statement, method, {
      value: (...parameters: unknown[]) => {
        try {
          return original.apply(statement, parameters);
        } finally {
          committed.ran(writes, rollsBack);
        }
      },
    });
  }
}

async function openMysql(url: string, options: OpenOptions): Promise<Database> {
  const { createPool } = await import('mysql2');
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  } catch {
    throw new DatabaseUrlError(`PASS_DB_URL is not a valid URL: "${redactUrl(url)}"`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database) throw new DatabaseUrlError('PASS_DB_URL needs a database name, e.g. mysql://root@127.0.0.1:3306/pass');
  const pool = createPool({
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password),
    database,
    connectionLimit: options.poolSize ?? 10,
    // Times travel as 'YYYY-MM-DD HH:MM:SS.ffffff' strings in UTC on both databases.
    dateStrings: true,
    timezone: 'Z',
    supportBigNumbers: true,
    // JSON columns come back as text, as on MariaDB and SQLite.
    jsonStrings: true,
    charset: 'utf8mb4',
    connectTimeout: 10_000,
    enableKeepAlive: true,
  });
  pool.on('connection', (conn) => {
    conn.query("SET time_zone = '+00:00'");
  });
  const kysely = new Kysely<any>({ dialect: new MysqlDialect({ pool }) });
  const query = (connection: PoolConnection, text: string, parameters?: readonly unknown[]) =>
    new Promise<{ affectedRows?: number }>((resolve, reject) =>
      connection.query(text, parameters, (error, result) => (error ? reject(error) : resolve(result as { affectedRows?: number }))),
    );
  return {
    kysely,
    dialect: 'mysql',
    url,
    displayUrl: redactUrl(url),
    // A chunk's transaction straight on a pooled connection: BEGIN, COMMIT and `tx.run` are
    // single round trips, and `tx.kysely` (this Kysely's plugins on that connection) is made only
    // for a writer that asks for it, once per pooled connection.
    async transaction<T>(this: Database, work: (tx: TransactionScope) => Promise<T>): Promise<T> {
      const from = this.kysely;
      const connection = await new Promise<PoolConnection>((resolve, reject) => pool.getConnection((error, c) => (error ? reject(error) : resolve(c))));
      try {
        await query(connection, 'BEGIN');
        try {
          const result = await work({
            get kysely() {
              return boundTo(connection, from);
            },
            run: async (text, parameters) => Number((await query(connection, text, parameters)).affectedRows ?? 0),
          });
          await query(connection, 'COMMIT');
          return result;
        } catch (error) {
          await query(connection, 'ROLLBACK').catch(() => undefined);
          throw error;
        }
      } finally {
        connection.release();
      }
    },
    close: () => kysely.destroy(),
  };
}

type PoolConnection = import('mysql2').PoolConnection;

/** A Kysely on `dialect` with `from`'s plugins: the Kysely a transaction hands its writer. */
const withPluginsOf = (from: Kysely<any>, dialect: SqliteDialect | MysqlDialect) =>
  new Kysely<any>({ dialect, plugins: [...from.getExecutor().plugins] }) as Transaction<any>;

const boundKyselys = new WeakMap<PoolConnection, WeakMap<Kysely<any>, Transaction<any>>>();

/** A Kysely with `from`'s plugins whose every query runs on `connection` (which its caller holds). */
function boundTo(connection: PoolConnection, from: Kysely<any>): Transaction<any> {
  let byKysely = boundKyselys.get(connection);
  if (!byKysely) boundKyselys.set(connection, (byKysely = new WeakMap()));
  let bound = byKysely.get(from);
  if (!bound) {
    // Kysely releases a connection after each query; this one stays with the transaction.
    const held = { query: connection.query.bind(connection), release: () => undefined };
    const pool = { getConnection: (callback: (error: null, c: typeof held) => void) => callback(null, held), end: (callback: () => void) => callback() };
    bound = withPluginsOf(from, new MysqlDialect({ pool: pool as never }));
    byKysely.set(from, bound);
  }
  return bound;
}
