// The service every transport calls: `call(session, name, input)` checks who is calling, that
// their role reaches the operation's, and that the input passes the operation's schema, all
// before anything is touched; then runs the operation, which records what it changed in the
// activity log. Errors come out as ServiceError only.
import { BatchError, malformedTextAt, type Database, type JobOperator } from '../batch/index.ts';
import { UserStatus } from '../pass/schema.ts';
import { auditedLaunch, writeAudit } from './audit.ts';
import { listBackups, runBackup } from './backups.ts';
import { cancelGrant, createGrant, grantNow, listGrants } from './bulkGrants.ts';
import { importRejects, importStatus, previewImport, startImport, uploadImport } from './imports.ts';
import type { HandlerContext } from './context.ts';
import { isOperationName, operations, roleAtLeast, type OperationName, type OutputOf, type ParsedInputOf } from './contract.ts';
import { brokenText, fromZodError, ServiceError, toServiceError } from './errors.ts';
import { subscribeExecutions, type EventListener } from './events.ts';
import { abandon, getExecution, launch, listExecutions, listJobs, markFailed, restart, stop, withScheduledHere } from './executions.ts';
import { kioskCheckIn, kioskFind, kioskShow, markAllAttended, markAttended } from './attendance.ts';
import { book, cancelBooking, cancelClass, createClasses, getClass, listClasses, removeFromWaitlist, updateClass } from './classes.ts';
import { addToGroup, addToNewGroup, createMember, removeFromGroup, setMemberStatus, updateMember } from './memberChanges.ts';
import { listGroups, memberPasses, registerPass, searchMembers } from './members.ts';
import { cancelPass } from './passCancel.ts';
import { extendPass } from './passExtend.ts';
import { firstSteps } from './firstSteps.ts';
import { createPackage, listPackages, restorePackage, retirePackage, updatePackage } from './packages.ts';
import { listNotifications, resendNotification } from './notifications.ts';
import { hashPassword } from './passwords.ts';
import { listAudit, listReports, reportFile } from './reports.ts';
import { listSchedules, updateSchedule, type ScheduleAdmin } from './schedules.ts';
import { getSettings, testDatabase, testNotifier, updateSettings } from './settings.ts';
import { addDemoGym, gymHasData, type AddDemoGym } from './setup.ts';
import { seedDemoGymOnThread } from '../pass/demo/demoGymThread.ts';
import {
  ADMIN_USERNAME,
  assertAnotherAdmin,
  assertPasswordRules,
  authenticate,
  changeOwnPassword,
  createFirstAdmin,
  createStaff,
  DEFAULT_SESSION_TTL_MS,
  endSessionsOf,
  ensureAdminAccount,
  getStaff,
  listStaff,
  LOGIN_FAILED,
  login,
  logout,
  needsAdmin,
  UNAUTHENTICATED,
  updateStaff,
  type AdminBootstrap,
  type Session,
} from './staff.ts';
import { ADDRESS_LIMIT, addressKey, forgive, normalizeUsername, recordFailure, takeAttempt, tooManyAttempts, USER_LIMIT, userKey } from './signIn.ts';
import { serviceDb, type Executor, type ServiceDb } from './tables.ts';
import { isRefusedForLocks, retryingTransactions } from './transactions.ts';
import { salesSummary } from './sales.ts';
import { buildStatistics, statisticsSeries } from './statistics.ts';

/** What the service needs of the runtime (openRuntime gives it). */
export interface ServiceRuntime {
  db: Database;
  operator: JobOperator;
}

export interface ServiceOptions {
  /** the scheduler, once it is wired in; schedules.* answer UNAVAILABLE without it */
  schedules?: ScheduleAdmin;
  sessionTtlMs?: number;
  /** the clock (tests) */
  now?: () => Date;
  /** how long settings.testDatabase waits for a connection and its SELECT 1 (default 5 s) */
  databaseTestTimeoutMs?: number;
  /** where unexpected errors go before they are answered as INTERNAL */
  logError?: (error: unknown, operation: string) => void;
  /**
   * where the engine's own words for a launch refused as already running go (which process runs
   * it: pid and host), since people are told it in plain words without them
   */
  logRefusal?: (line: string) => void;
  /**
   * how the first run's demo gym is added (setup.createAdmin with `gym: 'demo'`); default: on a
   * worker thread with its own connection to the service's database (tests give a smaller one)
   */
  addDemoGym?: AddDemoGym;
}

type Handler<N extends OperationName> = (ctx: HandlerContext, input: ParsedInputOf<N>) => Promise<OutputOf<N>>;
type Handlers = { [N in OperationName]: Handler<N> };

/** What a transport knows of the caller besides the session. */
export interface CallMeta {
  /** the network address a request came from (HTTP); none over IPC, where the desk is the machine */
  address?: string;
}

export interface Service {
  call<N extends OperationName>(session: Session | null, name: N, input: unknown, meta?: CallMeta): Promise<OutputOf<N>>;
  /** a transport's bearer token as the session it names; null when unknown, expired or disabled */
  authenticate(token: string): Promise<Session | null>;
  /**
   * live execution events the session may see; returns the function that unsubscribes. The
   * session is checked as events are sent: once it is signed out, disabled, expired or its role
   * changed (here at once, from another desk within a second), nothing more is sent and `ended`
   * is called, for the transport to close its stream.
   */
  subscribe(session: Session, listener: EventListener, ended?: () => void): () => void;
  /** first run: the admin account (see ensureAdminAccount) */
  ensureAdmin(options?: { password?: string }): Promise<AdminBootstrap>;
}

export function createService(runtime: ServiceRuntime, options: ServiceOptions = {}): Service {
  // transactions.ts: a transaction refused at once for another desk's locks (a deadlock) is run again
  const db: ServiceDb = retryingTransactions(serviceDb(runtime.db));
  const operator = runtime.operator;
  const clock = options.now ?? (() => new Date());
  const ttl = options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
  const demoGym: AddDemoGym = options.addDemoGym ?? ((now) => seedDemoGymOnThread({ dbUrl: runtime.db.url, now: now.toISOString() }));

  const staffChange = async <T>(ctx: HandlerContext, action: OperationName, username: string, detail: unknown, change: (tx: ServiceDb) => Promise<T>) =>
    db.transaction().execute(async (tx) => {
      const result = await change(tx as unknown as ServiceDb);
      await ctx.audit({ action, target: `staff:${username}`, detail }, tx);
      return result;
    });

  // The live streams open in this process, with their sessions: ended at once when a change here
  // ends or alters the session (sign-out, a new password, a role, a disabled account).
  const streamOwners = new Map<() => void, Session>();
  const endStreamsOf = (which: (session: Session) => boolean) => {
    for (const [end, session] of [...streamOwners]) if (which(session)) end();
  };
  /** after a change to `username`'s account has committed: its streams end (their sessions ended or changed) */
  const endStreamsOfUser = <T>(username: string) => (result: T) => {
    endStreamsOf((session) => session.username === username);
    return result;
  };
  function guardedSubscription(session: Session, listener: EventListener, ended?: () => void): () => void {
    let open = true;
    let checkedAt = Date.now();
    const end = () => {
      if (!open) return;
      open = false;
      unsubscribe();
      streamOwners.delete(end);
      ended?.();
    };
    // Another desk's change reaches this one through the database: looked at again every second.
    const recheck = () => {
      checkedAt = Date.now();
      void authenticate(db, session.token, clock()).then(
        (now) => {
          if (!now || now.role !== session.role) end();
        },
        () => undefined,
      );
    };
    const unsubscribe = subscribeExecutions(operator, session, (event) => {
      if (!open) return;
      if (session.expiresAt <= clock()) return end();
      if (Date.now() - checkedAt >= 1000) recheck();
      listener(event);
    });
    streamOwners.set(end, session);
    return end;
  }

  const handlers: Handlers = {
    'session.login': async (ctx, input) => {
      // signIn.ts: each guess takes its slot (address first, then name) before the password is hashed.
      const keys: Array<[string, number]> = [];
      if (ctx.address) keys.push([addressKey(ctx.address), ADDRESS_LIMIT]);
      const username = normalizeUsername(input.username);
      if (username) keys.push([userKey(username), USER_LIMIT]);
      for (const [key, limit] of keys) {
        const until = await takeAttempt(db, runtime.db.dialect, key, limit, ctx.now);
        if (until) throw tooManyAttempts(until, ctx.now);
      }
      try {
        // Another spelling of a name (accents, spaces, symbols) is no name: refused like a wrong password.
        if (!username) throw LOGIN_FAILED;
        const session = await login(db, username, input.password, ctx.now, ttl);
        await forgive(db, userKey(username));
        return sessionInfo(session);
      } catch (error) {
        if (error instanceof ServiceError && error.code === 'LOGIN_FAILED') for (const [key, limit] of keys) await recordFailure(db, key, limit, ctx.now);
        throw error;
      }
    },
    'session.logout': async (ctx) => {
      await logout(db, ctx.session!.token);
      endStreamsOf((session) => session.token === ctx.session!.token);
      return { ok: true };
    },
    'session.me': async (ctx) => ({ username: ctx.session!.username, role: ctx.session!.role, mustChangePassword: ctx.session!.mustChangePassword ?? false }),
    'session.changePassword': async (ctx, input) => {
      const session = ctx.session!;
      await changeOwnPassword(db, session, input, ctx.now, (tx) => ctx.audit({ action: 'session.changePassword', target: `staff:${session.username}`, detail: { username: session.username } }, tx));
      // its other sessions ended with the old password
      endStreamsOf((other) => other.username === session.username && other.token !== session.token);
      return { ok: true };
    },

    'setup.status': async () => ({ needsAdmin: await needsAdmin(db), hasGymData: await gymHasData(db) }),
    'setup.createAdmin': async (ctx, input) => {
      const gym = input.gym ?? 'empty';
      // Nobody is signed in yet: the activity log names the account being made, which is who chose it.
      const audit = (tx: Executor) =>
        writeAudit(tx, { actor: ADMIN_USERNAME, action: 'setup.createAdmin', target: `staff:${ADMIN_USERNAME}`, detail: { username: ADMIN_USERNAME, role: 'ADMIN', gym } }, ctx.now);
      const demo = gym === 'demo' ? () => addDemoGym(db, demoGym, ctx.now, (error) => options.logError?.(error, 'setup.createAdmin')) : undefined;
      const session = await createFirstAdmin(db, input.password, ctx.now, ttl, audit, demo);
      return sessionInfo(session);
    },

    'setup.firstSteps': firstSteps,

    'members.search': searchMembers,
    'members.passes': memberPasses,
    'members.create': createMember,
    'members.update': updateMember,
    'members.deactivate': setMemberStatus(UserStatus.INACTIVE),
    'members.reactivate': setMemberStatus(UserStatus.ACTIVE),
    'members.addToGroup': addToGroup,
    'members.removeFromGroup': removeFromGroup,
    'members.addToNewGroup': addToNewGroup,
    'passes.register': registerPass,
    'passes.cancel': cancelPass,
    'passes.extend': extendPass,
    'packages.list': (ctx) => listPackages(ctx),
    'packages.create': createPackage,
    'packages.update': updatePackage,
    'packages.retire': retirePackage,
    'packages.restore': restorePackage,
    'classes.list': listClasses,
    'classes.get': getClass,
    'classes.create': createClasses,
    'classes.update': updateClass,
    'classes.cancel': cancelClass,
    'bookings.create': book,
    'waitlist.remove': removeFromWaitlist,
    'bookings.cancel': cancelBooking,
    'bookings.markAttended': markAttended,
    'classes.markAllAttended': markAllAttended,
    'kiosk.find': kioskFind,
    'kiosk.member': kioskShow,
    'kiosk.checkIn': kioskCheckIn,
    'groups.list': (ctx) => listGroups(ctx),

    'bulkGrants.list': listGrants,
    'bulkGrants.create': createGrant,
    'bulkGrants.cancel': cancelGrant,
    'bulkGrants.grantNow': grantNow,

    'imports.upload': uploadImport,
    'imports.preview': previewImport,
    'imports.start': startImport,
    'imports.status': importStatus,
    'imports.rejects': importRejects,

    'statistics.series': statisticsSeries,
    'statistics.build': buildStatistics,
    'sales.summary': salesSummary,

    'jobs.list': (ctx) => listJobs(ctx),
    'jobs.namesInHistory': (ctx) => ctx.operator.explorer.jobNames(),
    // whether a scheduled run was this console's schedule or another console's on the same database
    'executions.list': async (ctx, input) => {
      const page = await listExecutions(ctx, input);
      return { ...page, items: page.items.map((e) => withScheduledHere(e, options.schedules?.launchedBy)) };
    },
    'executions.get': async (ctx, input) => withScheduledHere(await getExecution(ctx, input), options.schedules?.launchedBy),
    'executions.launch': launch,
    'executions.restart': restart,
    'executions.stop': stop,
    'executions.abandon': abandon,
    'executions.markFailed': markFailed,

    'reports.list': listReports,
    'reports.file': reportFile,

    'schedules.list': (ctx) => listSchedules(ctx, options.schedules),
    'schedules.update': (ctx, input) => updateSchedule(ctx, options.schedules, input),

    'settings.get': (ctx) => getSettings(ctx),
    'settings.update': updateSettings,
    'settings.testDatabase': (ctx, input) => testDatabase(ctx, input, options.databaseTestTimeoutMs ?? 5000),
    'settings.testNotifier': (ctx) => testNotifier(ctx),
    'backups.list': (ctx) => listBackups(ctx, options.schedules),
    'backups.run': (ctx) => runBackup(ctx, options.schedules),

    'notifications.list': listNotifications,
    'notifications.resend': resendNotification,

    'audit.list': listAudit,

    'staff.list': (ctx) => listStaff(db, ctx.now),
    'staff.create': (ctx, input) => staffChange(ctx, 'staff.create', input.username, input, (tx) => createStaff(tx, input, ctx.actor, ctx.now)),
    'staff.setPassword': async (ctx, input) => {
      assertPasswordRules(input.password, input.username);
      const hash = await hashPassword(input.password);
      return staffChange(ctx, 'staff.setPassword', input.username, input, async (tx) => {
        // The admin knows it: its owner is asked to choose their own at the next sign-in.
        const view = await updateStaff(tx, input.username, { password_hash: hash, must_change_password: 1 }, ctx.now);
        // A new password ends every session opened with the old one.
        await endSessionsOf(tx, input.username);
        return view;
      }).then(endStreamsOfUser(input.username));
    },
    'staff.setRole': (ctx, input) =>
      staffChange(ctx, 'staff.setRole', input.username, input, async (tx) => {
        const current = await getStaff(tx, input.username);
        if (current.role === 'ADMIN' && input.role !== 'ADMIN' && current.active) await assertAnotherAdmin(tx, input.username, runtime.db.dialect);
        return updateStaff(tx, input.username, { role: input.role }, ctx.now);
      }).then(endStreamsOfUser(input.username)),
    'staff.disable': (ctx, input) =>
      staffChange(ctx, 'staff.disable', input.username, input, async (tx) => {
        const current = await getStaff(tx, input.username);
        if (current.role === 'ADMIN' && current.active) await assertAnotherAdmin(tx, input.username, runtime.db.dialect);
        const view = await updateStaff(tx, input.username, { active: 0 }, ctx.now);
        await endSessionsOf(tx, input.username);
        return view;
      }).then(endStreamsOfUser(input.username)),
    'staff.enable': (ctx, input) => staffChange(ctx, 'staff.enable', input.username, input, (tx) => updateStaff(tx, input.username, { active: 1 }, ctx.now)),
    'staff.unlock': (ctx, input) =>
      staffChange(ctx, 'staff.unlock', input.username, input, async (tx) => {
        await getStaff(tx, input.username, ctx.now); // an account that exists
        await forgive(tx, userKey(input.username));
        return getStaff(tx, input.username, ctx.now);
      }),
  };

  async function call<N extends OperationName>(session: Session | null, name: N, rawInput: unknown, meta: CallMeta = {}): Promise<OutputOf<N>> {
    const op = String(name);
    try {
      if (!isOperationName(name)) {
        throw new ServiceError('UNKNOWN_OPERATION', { ko: `알 수 없는 요청입니다: ${op.slice(0, 100)}`, en: `There is no operation named "${op.slice(0, 100)}".` });
      }
      const spec = operations[name];
      const now = clock();
      if (spec.role !== 'PUBLIC') {
        if (!session || session.expiresAt <= now) throw UNAUTHENTICATED;
        if (!roleAtLeast(session.role, spec.role)) {
          // the kiosk's role is no rank: it is that role or nothing
          const only = spec.role === 'KIOSK' || session.role === 'KIOSK';
          throw new ServiceError('FORBIDDEN', {
            ko: `이 작업은 ${ROLE_KO[spec.role]} ${only ? '계정만' : '이상만'} 할 수 있습니다.`,
            en: `This needs the ${spec.role} role${only ? '' : ' or higher'} (you are ${session.role}).`,
          });
        }
      }
      const parsed = spec.input.safeParse(rawInput ?? {});
      if (!parsed.success) throw fromZodError(parsed.error);
      // Every string of every operation, once: a lone surrogate half is no character, and a JSON
      // column or utf8mb4 refuses it later, after part of the change is made.
      const broken = malformedTextAt(parsed.data);
      if (broken !== undefined) throw brokenText(broken);
      const actor = session?.username ?? 'anonymous';
      const ctx: HandlerContext = {
        database: runtime.db,
        db,
        operator,
        session,
        actor,
        address: meta.address,
        now,
        timeZone: operator.timeZone,
        audit: (record, tx) => writeAudit(tx ?? db, { ...record, actor }, now),
        auditLaunch: (record, launch, done) => auditedLaunch(db, { ...record, actor }, now, launch, done),
      };
      return await (handlers[name] as Handler<N>)(ctx, parsed.data as ParsedInputOf<N>);
    } catch (error) {
      const serviceError = toServiceError(error, operator.timeZone);
      // the unexpected, and a change refused for another's locks (which staff only see as "try again")
      if (serviceError.code === 'INTERNAL' || isRefusedForLocks(error)) options.logError?.(error, op);
      else if (error instanceof BatchError && error.running) options.logRefusal?.(`[${op}] refused by ${session?.username ?? 'anonymous'}: ${error.message}`);
      throw serviceError;
    }
  }

  return {
    call,
    authenticate: (token) => authenticate(db, token, clock()),
    subscribe: (session, listener, ended) => guardedSubscription(session, listener, ended),
    ensureAdmin: (o = {}) => ensureAdminAccount(db, { ...o, now: clock() }),
  };
}

const sessionInfo = (session: Session) => ({
  token: session.token,
  username: session.username,
  role: session.role,
  expiresAt: session.expiresAt.toISOString(),
  mustChangePassword: session.mustChangePassword ?? false,
});

const ROLE_KO = { FRONT_DESK: '프런트', MANAGER: '매니저', ADMIN: '관리자', KIOSK: '키오스크', SIGNED_IN: '로그인한' } as const;

export type { Session } from './staff.ts';
export type { ScheduleAdmin } from './schedules.ts';
