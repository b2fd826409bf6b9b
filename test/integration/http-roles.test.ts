// The role matrix over real HTTP on both databases: every route × every caller (no token, an
// expired token, FRONT_DESK, MANAGER, ADMIN, KIOSK) gets exactly the answer its least role
// allows: 401 without a live session, 403 below the least role (and nothing written), and for
// every role at or above it the route's own answer to a valid request (2xx, or 404 for an id that
// does not exist). KIOSK stands apart (issue 18): every staff route answers it 403, and the
// kiosk's routes answer every staff role 403; SIGNED_IN routes (one's own session) take any
// account. One table lists each route with its least role and a valid request.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { backupDatabaseJob, backupDatabaseSchedule } from '../../main/batch/index.ts';
import { startHttpServer, type HttpServer } from '../../main/http/server.ts';
import { ROUTES } from '../../main/http/routes.ts';
import { fileJobs } from '../../main/pass/jobs/index.ts';
import { ROLES, roleAtLeast, type Role } from '../../main/service/contract.ts';
import { describeEachBackend } from '../support/databases.ts';
import { classStartToday, longestWaitForToday } from '../support/classToday.ts';
import { allowFolder } from '../support/folders.ts';
import {
  apiClient,
  expireToken,
  fullSnapshot,
  httpToken,
  PASSWORDS,
  serviceHarness,
  USERNAMES,
  waitForEnd,
  type ApiAnswer,
  type ServiceHarness,
} from '../support/serviceHarness.ts';

type Caller = Role | 'NO_TOKEN' | 'EXPIRED';
const CALLERS: Caller[] = ['NO_TOKEN', 'EXPIRED', ...ROLES];

interface Fixture {
  h: ServiceHarness;
  /** an execution that exists */
  executionId: number;
  reportId: number;
  /** a new READY bulk grant for the small HANBADA group */
  newGrant(): Promise<number>;
  /** a new staff account to change */
  newStaff(): Promise<string>;
  /** a member file uploaded to the imports folder, by its name there */
  newUpload(): Promise<string>;
  /** a completed member import with one row refused */
  importId: number;
  /** a new ACTIVE member, in the given groups */
  newMember(groups?: string[]): Promise<string>;
  /** a new package on sale, by its seq */
  newPackage(): Promise<number>;
  /** a class two days ahead (PT 10 passes may book it) */
  classSeq: number;
  /** a new member with a PT 10 pass, booked into a new class two days ahead */
  newBooking(): Promise<number>;
  /** a new member with a PT 10 pass */
  newMemberWithPass(): Promise<{ userId: string; passSeq: number }>;
  /** a new full class two days ahead with a new member on its waitlist */
  newWaiting(): Promise<{ classSeq: number; waitlistSeq: number }>;
  /** the member the booking row's url made, for its body */
  booker?: { userId: string; passSeq: number };
  /** a class starting in about half an hour, today (attendance is open, the kiosk lists it) */
  soonClassSeq: number;
  /** a new member with a PT 10 pass, booked into the class starting soon */
  newSoonBooking(): Promise<number>;
  /** a member the kiosk finds alone by the last four digits of their phone, by the handle it gave */
  kioskMember: { phoneLast4: string; member: string };
  /** a new member of the kiosk's, booked into the class starting soon and not checked in yet */
  newCheckIn(): Promise<{ phoneLast4: string; member: string; bookingSeq: number }>;
  /** the check-in the kiosk row's url made, for its body */
  checkIn?: { phoneLast4: string; member: string; bookingSeq: number };
  unique(): number;
}

interface Row {
  /** the route as routes.ts spells it: 'METHOD /path/:param' */
  route: string;
  least: Role | 'PUBLIC' | 'SIGNED_IN';
  /** the request path, built fresh for each allowed call when it needs a new thing to act on */
  url: string | ((f: Fixture) => Promise<string> | string);
  body?: Record<string, unknown> | ((f: Fixture) => Record<string, unknown>);
  /** the answer of an allowed call (default 200); a function when it depends on the database */
  ok?: number | ((f: Fixture) => number);
  /** the call ends the caller's session: use a session of its own */
  ownSession?: boolean;
  /** an event stream: read the status and hang up */
  stream?: boolean;
}

const FAR = '2099-05-01';
/** a sale's start: within the year ahead, as the desk's rule has it (far ahead is refused) */
const SALE_START = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
/** a bulk grant's start: within the year ahead (the same rule as a sale), and never due within the test, so the scheduler never grants it */
const GRANT_START = new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10);
/** A member file to upload: one member, and one row without a name for the rejects file. */
const MEMBER_CSV = Buffer.from('이름,전화번호\r\n역할시험,010-5555-0001\r\n,010-5555-0002\r\n').toString('base64');

const TABLE: Row[] = [
  { route: 'POST /api/session', least: 'PUBLIC', url: '/api/session', body: { username: USERNAMES.FRONT_DESK, password: PASSWORDS.FRONT_DESK } },
  { route: 'GET /api/openapi.json', least: 'PUBLIC', url: '/api/openapi.json' },
  // one's own session: any account's, the kiosk's too
  { route: 'GET /api/session', least: 'SIGNED_IN', url: '/api/session' },
  { route: 'DELETE /api/session', least: 'SIGNED_IN', url: '/api/session', ownSession: true },
  // a wrong current password is refused (400) for every role that may ask: the matrix checks who may ask, not the password
  { route: 'PUT /api/session/password', least: 'SIGNED_IN', url: '/api/session/password', body: { current: 'not-the-password-1', next: 'another-password-2' }, ok: 400 },
  { route: 'GET /api/setup', least: 'PUBLIC', url: '/api/setup' },
  // first run only: this console has its admin, so every caller, signed in or not, gets CONFLICT
  { route: 'POST /api/setup/admin', least: 'PUBLIC', url: '/api/setup/admin', body: { password: 'taking-it-over-1' }, ok: 409 },
  { route: 'GET /api/setup/first-steps', least: 'MANAGER', url: '/api/setup/first-steps' },

  { route: 'GET /api/users', least: 'FRONT_DESK', url: '/api/users?query=M1000001' },
  { route: 'GET /api/users/:userId/passes', least: 'FRONT_DESK', url: '/api/users/M1000001/passes' },
  { route: 'POST /api/users/:userId/passes', least: 'FRONT_DESK', url: '/api/users/M1000002/passes', body: { packageSeq: 1, startedAt: SALE_START, paymentMethod: 'CARD' } },
  // a pass that does not exist: every role that may cancel gets NOT_FOUND, nothing is cancelled
  { route: 'POST /api/passes/:passSeq/cancel', least: 'FRONT_DESK', url: '/api/passes/99999999/cancel', body: { refund: 0 }, ok: 404 },
  { route: 'POST /api/passes/:passSeq/extend', least: 'FRONT_DESK', url: '/api/passes/99999999/extend', body: { days: 1, reason: '역할 시험' }, ok: 404 },
  { route: 'POST /api/users', least: 'FRONT_DESK', url: '/api/users', body: (f) => ({ userName: `역할 시험 ${f.unique()}`, phone: '010-1234-5678' }) },
  { route: 'PUT /api/users/:userId', least: 'FRONT_DESK', url: '/api/users/M1000003', body: (f) => ({ memo: `matrix ${f.unique()}` }) },
  { route: 'POST /api/users/:userId/deactivate', least: 'FRONT_DESK', url: async (f) => `/api/users/${await f.newMember()}/deactivate` },
  {
    route: 'POST /api/users/:userId/reactivate',
    least: 'FRONT_DESK',
    url: async (f) => {
      const userId = await f.newMember();
      await f.h.service.call(f.h.sessions.FRONT_DESK, 'members.deactivate', { userId });
      return `/api/users/${userId}/reactivate`;
    },
  },
  { route: 'PUT /api/users/:userId/groups/:groupId', least: 'FRONT_DESK', url: async (f) => `/api/users/${await f.newMember()}/groups/HANBADA` },
  { route: 'DELETE /api/users/:userId/groups/:groupId', least: 'FRONT_DESK', url: async (f) => `/api/users/${await f.newMember(['HANBADA'])}/groups/HANBADA` },
  { route: 'POST /api/users/:userId/groups', least: 'FRONT_DESK', url: async (f) => `/api/users/${await f.newMember()}/groups`, body: (f) => ({ userGroupName: `역할 그룹 ${f.unique()}` }) },
  { route: 'GET /api/packages', least: 'FRONT_DESK', url: '/api/packages' },
  { route: 'POST /api/packages', least: 'MANAGER', url: '/api/packages', body: (f) => ({ packageName: `역할 시험 패키지 ${f.unique()}`, count: 10, period: 30 }) },
  // each call changes, retires or restores a package of its own
  { route: 'PUT /api/packages/:packageSeq', least: 'MANAGER', url: async (f) => `/api/packages/${await f.newPackage()}`, body: { count: 12 } },
  { route: 'POST /api/packages/:packageSeq/retire', least: 'MANAGER', url: async (f) => `/api/packages/${await f.newPackage()}/retire` },
  {
    route: 'POST /api/packages/:packageSeq/restore',
    least: 'MANAGER',
    url: async (f) => {
      const packageSeq = await f.newPackage();
      await f.h.service.call(f.h.sessions.MANAGER, 'packages.retire', { packageSeq });
      return `/api/packages/${packageSeq}/restore`;
    },
  },
  { route: 'GET /api/classes', least: 'FRONT_DESK', url: '/api/classes?from=2025-01-01&to=2025-01-08' },
  { route: 'POST /api/classes', least: 'FRONT_DESK', url: '/api/classes', body: { title: '역할 시험 수업', startedAt: `${FAR}T10:00`, endedAt: `${FAR}T11:00`, capacity: 5, packageSeqs: [1] } },
  { route: 'GET /api/classes/:classSeq', least: 'FRONT_DESK', url: (f) => `/api/classes/${f.classSeq}` },
  { route: 'PUT /api/classes/:classSeq', least: 'FRONT_DESK', url: (f) => `/api/classes/${f.classSeq}`, body: (f) => ({ title: `역할 시험 ${f.unique()}` }) },
  // each call cancels a class of its own
  {
    route: 'POST /api/classes/:classSeq/cancel',
    least: 'FRONT_DESK',
    url: async (f) => {
      const start = Date.now() + 3 * 86_400_000;
      const [cls] = await f.h.service.call(f.h.sessions.ADMIN, 'classes.create', { title: `취소할 수업 ${f.unique()}`, startedAt: new Date(start).toISOString(), endedAt: new Date(start + 3_600_000).toISOString(), capacity: 5, packageSeqs: [1] });
      return `/api/classes/${cls!.classSeq}/cancel`;
    },
  },
  // each call books a new member with a pass of their own (the url makes them, the body names them)
  {
    route: 'POST /api/classes/:classSeq/bookings',
    least: 'FRONT_DESK',
    url: async (f) => {
      f.booker = await f.newMemberWithPass();
      return `/api/classes/${f.classSeq}/bookings`;
    },
    body: (f) => ({ ...f.booker! }),
  },
  { route: 'POST /api/bookings/:bookingSeq/cancel', least: 'FRONT_DESK', url: async (f) => `/api/bookings/${await f.newBooking()}/cancel` },
  // each call takes a new member off the waitlist of a class of its own
  {
    route: 'DELETE /api/classes/:classSeq/waitlist/:waitlistSeq',
    least: 'FRONT_DESK',
    url: async (f) => {
      const { classSeq, waitlistSeq } = await f.newWaiting();
      return `/api/classes/${classSeq}/waitlist/${waitlistSeq}`;
    },
  },
  // attendance at the desk: a booking of a class starting in half an hour (it opens an hour before)
  { route: 'POST /api/bookings/:bookingSeq/attendance', least: 'FRONT_DESK', url: async (f) => `/api/bookings/${await f.newSoonBooking()}/attendance`, body: { attended: true } },
  { route: 'POST /api/classes/:classSeq/attend-all', least: 'FRONT_DESK', url: (f) => `/api/classes/${f.soonClassSeq}/attend-all` },
  // the check-in kiosk: KIOSK alone, every staff role refused
  { route: 'POST /api/kiosk/find', least: 'KIOSK', url: '/api/kiosk/find', body: (f) => ({ phoneLast4: f.kioskMember.phoneLast4 }) },
  { route: 'POST /api/kiosk/member', least: 'KIOSK', url: '/api/kiosk/member', body: (f) => ({ ...f.kioskMember }) },
  // each call checks a new member in to the class starting soon (the url makes them, the body names them)
  {
    route: 'POST /api/kiosk/check-in',
    least: 'KIOSK',
    url: async (f) => {
      f.checkIn = await f.newCheckIn();
      return '/api/kiosk/check-in';
    },
    body: (f) => ({ ...f.checkIn! }),
  },
  { route: 'GET /api/groups', least: 'FRONT_DESK', url: '/api/groups' },

  { route: 'GET /api/admin/bulk-passes', least: 'FRONT_DESK', url: '/api/admin/bulk-passes' },
  { route: 'POST /api/admin/bulk-passes', least: 'FRONT_DESK', url: '/api/admin/bulk-passes', body: { packageSeq: 5, userGroupId: 'HANBADA', startedAt: GRANT_START } },
  { route: 'DELETE /api/admin/bulk-passes/:id', least: 'FRONT_DESK', url: async (f) => `/api/admin/bulk-passes/${await f.newGrant()}` },
  { route: 'POST /api/admin/bulk-passes/:id/grant-now', least: 'FRONT_DESK', url: async (f) => `/api/admin/bulk-passes/${await f.newGrant()}/grant-now` },

  { route: 'POST /api/imports', least: 'FRONT_DESK', url: '/api/imports', body: { fileName: 'members.csv', contentBase64: MEMBER_CSV } },
  { route: 'GET /api/imports/:fileName/preview', least: 'FRONT_DESK', url: async (f) => `/api/imports/${encodeURIComponent(await f.newUpload())}/preview` },
  { route: 'POST /api/imports/:fileName/executions', least: 'FRONT_DESK', url: async (f) => `/api/imports/${encodeURIComponent(await f.newUpload())}/executions`, body: { dryRun: true } },
  { route: 'GET /api/import-executions/:id', least: 'FRONT_DESK', url: (f) => `/api/import-executions/${f.importId}` },
  { route: 'GET /api/import-executions/:id/rejects', least: 'FRONT_DESK', url: (f) => `/api/import-executions/${f.importId}/rejects` },

  { route: 'GET /api/admin/statistics', least: 'MANAGER', url: '/api/admin/statistics?from=2025-01-01&to=2025-01-08&unit=day' },
  // each allowed caller builds a day of its own (the same day while another builds it is ALREADY_RUNNING)
  { route: 'POST /api/admin/statistics/build', least: 'MANAGER', url: '/api/admin/statistics/build', body: (f) => {
    const day = `2025-01-${String((f.unique() % 28) + 1).padStart(2, '0')}`;
    return { from: day, to: `${day}T23:00` };
  } },

  { route: 'GET /api/sales', least: 'MANAGER', url: '/api/sales?from=2025-01-01&to=2025-01-08' },

  { route: 'GET /api/jobs', least: 'MANAGER', url: '/api/jobs' },
  { route: 'GET /api/job-names', least: 'MANAGER', url: '/api/job-names' },
  { route: 'POST /api/jobs/:name/executions', least: 'ADMIN', url: '/api/jobs/expirePassesJob/executions', body: (f) => ({ params: { now: `2040-01-01T00:${String(f.unique() % 60).padStart(2, '0')}` } }) },
  { route: 'GET /api/executions', least: 'MANAGER', url: '/api/executions?job=expirePassesJob&page=1&pageSize=5' },
  { route: 'GET /api/executions/:id', least: 'MANAGER', url: (f) => `/api/executions/${f.executionId}` },
  { route: 'POST /api/executions/:id/restart', least: 'ADMIN', url: '/api/executions/987654321/restart', ok: 404 },
  { route: 'POST /api/executions/:id/stop', least: 'ADMIN', url: '/api/executions/987654321/stop', ok: 404 },
  { route: 'POST /api/executions/:id/abandon', least: 'ADMIN', url: '/api/executions/987654321/abandon', ok: 404 },
  { route: 'POST /api/executions/:id/mark-failed', least: 'ADMIN', url: '/api/executions/987654321/mark-failed', ok: 404 },

  { route: 'GET /api/reports', least: 'MANAGER', url: '/api/reports' },
  { route: 'GET /api/reports/:id', least: 'MANAGER', url: (f) => `/api/reports/${f.reportId}` },
  { route: 'GET /api/reports/:id/file', least: 'MANAGER', url: (f) => `/api/reports/${f.reportId}/file` },

  { route: 'GET /api/schedules', least: 'ADMIN', url: '/api/schedules' },
  { route: 'PUT /api/schedules', least: 'ADMIN', url: '/api/schedules', body: { job: 'usePassesJob', misfirePolicy: 'SKIP' } },
  { route: 'PUT /api/schedules/:job', least: 'ADMIN', url: '/api/schedules/addPassesJob', body: { enabled: false } },

  { route: 'GET /api/settings', least: 'ADMIN', url: '/api/settings' },
  { route: 'PUT /api/settings', least: 'ADMIN', url: '/api/settings', body: { language: 'en' } },
  { route: 'POST /api/settings/test-database', least: 'ADMIN', url: '/api/settings/test-database', body: (f) => ({ url: f.h.database.url }) },
  { route: 'POST /api/settings/test-notifier', least: 'ADMIN', url: '/api/settings/test-notifier' },
  { route: 'GET /api/backups', least: 'ADMIN', url: '/api/backups' },
  // MySQL is backed up by its server: "back up now" is refused there as UNAVAILABLE.
  { route: 'POST /api/backups', least: 'ADMIN', url: '/api/backups', ok: (f) => (f.h.database.db.dialect === 'sqlite' ? 200 : 409) },

  { route: 'GET /api/notifications', least: 'MANAGER', url: '/api/notifications?from=2025-01-01&pageSize=5' },
  { route: 'POST /api/notifications/:id/resend', least: 'MANAGER', url: '/api/notifications/987654321/resend', ok: 404 },

  { route: 'GET /api/audit', least: 'ADMIN', url: '/api/audit?page=1&pageSize=10' },

  { route: 'GET /api/staff', least: 'ADMIN', url: '/api/staff' },
  { route: 'POST /api/staff', least: 'ADMIN', url: '/api/staff', body: (f) => ({ username: `matrix.${f.unique()}`, password: 'matrix-password-1', role: 'FRONT_DESK' }) },
  { route: 'PUT /api/staff/:username/password', least: 'ADMIN', url: async (f) => `/api/staff/${await f.newStaff()}/password`, body: { password: 'another-password-1' } },
  { route: 'PUT /api/staff/:username/role', least: 'ADMIN', url: async (f) => `/api/staff/${await f.newStaff()}/role`, body: { role: 'MANAGER' } },
  { route: 'POST /api/staff/:username/disable', least: 'ADMIN', url: async (f) => `/api/staff/${await f.newStaff()}/disable` },
  { route: 'POST /api/staff/:username/enable', least: 'ADMIN', url: async (f) => `/api/staff/${await f.newStaff()}/enable` },
  { route: 'POST /api/staff/:username/unlock', least: 'ADMIN', url: async (f) => `/api/staff/${await f.newStaff()}/unlock` },

  // the renderer's bridge carries the same checks
  { route: 'POST /api/rpc/:operation', least: 'FRONT_DESK', url: '/api/rpc/packages.list', body: {} },
  // the upload's own bridge route, which alone takes a large body
  { route: 'POST /api/rpc/:operation', least: 'FRONT_DESK', url: '/api/rpc/imports.upload', body: { fileName: 'members.csv', contentBase64: MEMBER_CSV } },
  { route: 'POST /api/rpc/:operation', least: 'MANAGER', url: '/api/rpc/jobs.list', body: {} },
  { route: 'POST /api/rpc/:operation', least: 'ADMIN', url: '/api/rpc/staff.list', body: {} },
  { route: 'POST /api/rpc/:operation', least: 'KIOSK', url: '/api/rpc/kiosk.find', body: (f) => ({ phoneLast4: f.kioskMember.phoneLast4 }) },
  // any account may open the stream; a kiosk's carries no job (test/integration/kiosk-http.test.ts)
  { route: 'GET /api/events', least: 'SIGNED_IN', url: '/api/events', stream: true },
];

/** An allowed call's answer; where it depends on the database, known once the fixture is made (200 before). */
const okStatus = (row: Row, f?: Fixture): number => (typeof row.ok === 'function' ? (f ? row.ok(f) : 200) : (row.ok ?? 200));

/** What a caller must get from a row. */
function expected(row: Row, caller: Caller): { status: number; code?: string } {
  if (row.least === 'PUBLIC') return { status: okStatus(row) };
  if (caller === 'NO_TOKEN' || caller === 'EXPIRED') return { status: 401, code: 'UNAUTHENTICATED' };
  if (!roleAtLeast(caller, row.least)) return { status: 403, code: 'FORBIDDEN' };
  return { status: okStatus(row) };
}

describeEachBackend('http role matrix', (backend) => {
  let h: ServiceHarness;
  let server: HttpServer;
  let dir: string;
  let fixture: Fixture;
  let dataDirBefore: string | undefined;
  const api = apiClient(() => server.url);
  const tokens: Partial<Record<Caller, string>> = {};
  let counter = 0;

  beforeAll(async () => {
    h = await serviceHarness(backend, { scheduler: true, extraJobs: [backupDatabaseJob, ...fileJobs] });
    dir = mkdtempSync(join(tmpdir(), 'pass-roles-'));
    // uploads go to the data folder's imports folder: this test's own
    dataDirBefore = process.env.PASS_DATA_DIR;
    process.env.PASS_DATA_DIR = dir;
    await allowFolder(h.database.db.kysely, dir);
    await h.scheduler!.ensureDefaults([backupDatabaseSchedule]);
    await h.service.call(h.sessions.ADMIN, 'schedules.update', { job: 'backupDatabaseJob', params: { backupDir: join(dir, 'backups') } });
    server = await startHttpServer({ service: h.service });
    for (const role of ROLES) tokens[role] = await httpToken(api, role);
    tokens.EXPIRED = await httpToken(api, 'ADMIN');
    await expireToken(h, tokens.EXPIRED);

    const admin = h.sessions.ADMIN;
    const stats = await h.service.call(admin, 'executions.launch', {
      job: 'makeStatisticsJob',
      params: { from: new Date(Date.now() - 4 * 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString(), reportDir: join(dir, 'reports') },
    });
    expect(await waitForEnd(h, stats.id)).toBe('COMPLETED');
    const [report] = await h.service.call(admin, 'reports.list', {});
    const newUpload = async () => (await h.service.call(admin, 'imports.upload', { fileName: 'members.csv', contentBase64: MEMBER_CSV })).fileName;
    const imported = await h.service.call(admin, 'imports.start', { fileName: await newUpload(), dryRun: false });
    expect(await waitForEnd(h, imported.id)).toBe('COMPLETED');
    await h.service.call(admin, 'settings.update', { notifier: { kind: 'logFile', path: join(dir, 'notifications.log') } });

    // the class attendance and the kiosk act on: today, in about half an hour
    const soonStart = await classStartToday();
    const [soon] = await h.service.call(admin, 'classes.create', {
      title: '출석 시험',
      startedAt: soonStart.toISOString(),
      endedAt: new Date(soonStart.getTime() + 3_600_000).toISOString(),
      capacity: 1000,
      packageSeqs: [1],
    });
    /** a new member with a PT 10 pass and the given phone, booked into the class starting soon */
    const bookedSoon = async (phone?: string) => {
      const userId = (await h.service.call(admin, 'members.create', { userName: `출석 대상 ${++counter}`, ...(phone ? { phone } : {}) })).detail.member.userId;
      const { passes } = await h.service.call(admin, 'passes.register', { userId, packageSeq: 1, startedAt: new Date(Date.now() - 86_400_000).toISOString(), paymentMethod: 'CARD' });
      return (await h.service.call(admin, 'bookings.create', { classSeq: soon!.classSeq, userId, passSeq: passes[0]!.passSeq })).bookingSeq!;
    };
    /** four digits no member's phone ends in yet, then a member booked soon with a phone ending in them, as the kiosk finds them */
    let digits = 7000;
    const kioskBooking = async () => {
      let phoneLast4 = '';
      do phoneLast4 = String(++digits);
      while ((await h.service.call(h.sessions.KIOSK, 'kiosk.find', { phoneLast4 })).length > 0);
      const bookingSeq = await bookedSoon(`010-5${phoneLast4.slice(1)}-${phoneLast4}`);
      const found = await h.service.call(h.sessions.KIOSK, 'kiosk.find', { phoneLast4 });
      expect(found).toHaveLength(1);
      return { phoneLast4, member: found[0]!.member, bookingSeq };
    };
    const { bookingSeq: _kioskBooking, ...kioskMember } = await kioskBooking();
    fixture = {
      h,
      executionId: stats.id,
      reportId: report!.reportSeq,
      importId: imported.id,
      newUpload,
      unique: () => ++counter,
      newGrant: async () => (await h.service.call(admin, 'bulkGrants.create', { packageSeq: 5, userGroupId: 'HANBADA', startedAt: GRANT_START })).bulkPassSeq,
      classSeq: (
        await h.service.call(admin, 'classes.create', {
          title: '역할 시험',
          startedAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
          endedAt: new Date(Date.now() + 2 * 86_400_000 + 3_600_000).toISOString(),
          capacity: 1000,
          packageSeqs: [1],
        })
      )[0]!.classSeq,
      newMemberWithPass: async () => {
        const userId = (await h.service.call(admin, 'members.create', { userName: `예약 대상 ${++counter}` })).detail.member.userId;
        const { passes } = await h.service.call(admin, 'passes.register', { userId, packageSeq: 1, startedAt: new Date().toISOString(), paymentMethod: 'CARD' });
        return { userId, passSeq: passes[0]!.passSeq };
      },
      newBooking: async () => {
        const userId = (await h.service.call(admin, 'members.create', { userName: `예약 대상 ${++counter}` })).detail.member.userId;
        const { passes } = await h.service.call(admin, 'passes.register', { userId, packageSeq: 1, startedAt: new Date().toISOString(), paymentMethod: 'CARD' });
        const [cls] = await h.service.call(admin, 'classes.create', { title: '취소 시험', startedAt: new Date(Date.now() + 2 * 86_400_000).toISOString(), endedAt: new Date(Date.now() + 2 * 86_400_000 + 3_600_000).toISOString(), capacity: 2, packageSeqs: [1] });
        return (await h.service.call(admin, 'bookings.create', { classSeq: cls!.classSeq, userId, passSeq: passes[0]!.passSeq })).bookingSeq!;
      },
      newWaiting: async () => {
        const start = Date.now() + 2 * 86_400_000;
        const [cls] = await h.service.call(admin, 'classes.create', { title: '대기 빼기 시험', startedAt: new Date(start).toISOString(), endedAt: new Date(start + 3_600_000).toISOString(), capacity: 1, packageSeqs: [1] });
        for (let i = 0; i < 2; i++) {
          const userId = (await h.service.call(admin, 'members.create', { userName: `대기 대상 ${++counter}` })).detail.member.userId;
          const { passes } = await h.service.call(admin, 'passes.register', { userId, packageSeq: 1, startedAt: new Date().toISOString(), paymentMethod: 'CARD' });
          await h.service.call(admin, 'bookings.create', { classSeq: cls!.classSeq, userId, passSeq: passes[0]!.passSeq });
        }
        const [waiting] = (await h.service.call(admin, 'classes.get', { classSeq: cls!.classSeq })).waitlist;
        return { classSeq: cls!.classSeq, waitlistSeq: waiting!.waitlistSeq };
      },
      soonClassSeq: soon!.classSeq,
      newSoonBooking: () => bookedSoon(),
      kioskMember,
      newCheckIn: kioskBooking,
      newMember: async (groups = []) => (await h.service.call(admin, 'members.create', { userName: `대상 ${++counter}`, groups })).detail.member.userId,
      newPackage: async () => (await h.service.call(admin, 'packages.create', { packageName: `대상 패키지 ${++counter}`, count: 10, period: 30 })).packageSeq,
      newStaff: async () => {
        const username = `target.${++counter}`;
        await h.service.call(admin, 'staff.create', { username, password: 'target-password-1', role: 'FRONT_DESK' });
        return username;
      },
    };
  }, 120_000 + longestWaitForToday());
  afterAll(async () => {
    // the grant-now launches the matrix made finish before the server and the database go
    if (h) {
      const running = await h.operator.explorer.listJobExecutions({ status: 'STARTED', page: 1, pageSize: 100 });
      for (const e of running.executions) await waitForEnd(h, e.id);
    }
    await server?.close();
    await h?.dispose();
    if (dataDirBefore === undefined) delete process.env.PASS_DATA_DIR;
    else process.env.PASS_DATA_DIR = dataDirBefore;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A row's request for a caller: its path and body, with any fixture it needs made now. */
  const prepare = async (row: Row) => ({
    url: typeof row.url === 'function' ? await row.url(fixture) : row.url,
    body: typeof row.body === 'function' ? row.body(fixture) : row.body,
  });

  const call = async (row: Row, caller: Caller, request?: { url: string; body: unknown }): Promise<ApiAnswer> => {
    const { url, body } = request ?? (await prepare(row));
    let token = caller === 'NO_TOKEN' ? undefined : tokens[caller];
    if (row.ownSession && caller !== 'NO_TOKEN' && caller !== 'EXPIRED') token = await httpToken(api, caller);
    if (row.stream) {
      const controller = new AbortController();
      const response = await fetch(server.url + url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: controller.signal });
      const answer: ApiAnswer = { status: response.status, json: undefined, text: '', headers: response.headers, bytes: Buffer.alloc(0) };
      if (response.headers.get('content-type')?.includes('json')) answer.json = await response.json();
      controller.abort();
      return answer;
    }
    return api(row.route.split(' ')[0]!, url, { token, body });
  };

  it('lists every route of the API', () => {
    const listed = new Set(TABLE.map((r) => r.route));
    for (const route of ROUTES) expect(listed, `${route.method} ${route.path}`).toContain(`${route.method} ${route.path}`);
    for (const extra of ['GET /api/openapi.json', 'POST /api/rpc/:operation', 'GET /api/events']) expect(listed).toContain(extra);
  });

  it('refuses every caller below the least role, or without a live session, and writes nothing', async () => {
    // Each refused call gets a real target (a READY grant, an existing account) made first.
    const refused: Array<{ row: Row; caller: Caller; request: { url: string; body: unknown } }> = [];
    for (const row of TABLE) {
      for (const caller of CALLERS) {
        const want = expected(row, caller).status;
        if (want === 401 || want === 403) refused.push({ row, caller, request: await prepare(row) });
      }
    }
    expect(refused.length).toBeGreaterThan(80);
    const before = await fullSnapshot(h);
    for (const { row, caller, request } of refused) {
      const want = expected(row, caller);
      const r = await call(row, caller, request);
      expect(r.status, `${caller} ${row.route} (${row.least})`).toBe(want.status);
      expect(r.json?.code, `${caller} ${row.route}`).toBe(want.code);
      expect(r.json.message).toEqual({ ko: expect.any(String), en: expect.any(String) });
    }
    expect(await fullSnapshot(h)).toEqual(before);
  });

  it('refuses without touching even the thing the call names', async () => {
    const grant = await fixture.newGrant();
    const staff = await fixture.newStaff();
    const before = await fullSnapshot(h);
    for (const caller of ['NO_TOKEN', 'EXPIRED', 'MANAGER', 'FRONT_DESK', 'KIOSK'] as const) {
      expect((await api('POST', `/api/staff/${staff}/disable`, { token: tokens[caller] })).status).toBeGreaterThanOrEqual(401);
      expect((await api('PUT', `/api/staff/${staff}/role`, { token: tokens[caller], body: { role: 'ADMIN' } })).status).toBeGreaterThanOrEqual(401);
    }
    for (const caller of ['NO_TOKEN', 'EXPIRED'] as const) {
      expect((await api('DELETE', `/api/admin/bulk-passes/${grant}`, { token: tokens[caller] })).status).toBe(401);
      expect((await api('POST', `/api/admin/bulk-passes/${grant}/grant-now`, { token: tokens[caller] })).status).toBe(401);
    }
    expect(await fullSnapshot(h)).toEqual(before);

    // a booking the kiosk could check in: no staff role may, and the kiosk may not mark it at the desk's routes
    const checkIn = await fixture.newCheckIn();
    const ready = await fullSnapshot(h);
    for (const caller of ['NO_TOKEN', 'EXPIRED', 'FRONT_DESK', 'MANAGER', 'ADMIN'] as const) {
      expect((await api('POST', '/api/kiosk/check-in', { token: tokens[caller], body: checkIn })).status).toBeGreaterThanOrEqual(401);
    }
    expect((await api('POST', `/api/bookings/${checkIn.bookingSeq}/attendance`, { token: tokens.KIOSK, body: { attended: true } })).status).toBe(403);
    expect((await api('POST', `/api/classes/${fixture.soonClassSeq}/attend-all`, { token: tokens.KIOSK })).status).toBe(403);
    expect((await api('POST', `/api/bookings/${checkIn.bookingSeq}/cancel`, { token: tokens.KIOSK })).status).toBe(403);
    expect(await fullSnapshot(h)).toEqual(ready);
  });

  for (const row of TABLE) {
    const allowed = CALLERS.filter((c) => expected(row, c).status < 400 || okStatus(row) === expected(row, c).status);
    it(`${row.route} (${row.least}${row.route.includes('/rpc/') ? `, ${String(row.url)}` : ''}): ${allowed.join(', ')} allowed`, async () => {
      for (const caller of allowed) {
        const r = await call(row, caller);
        const want = okStatus(row, fixture);
        expect(r.status, `${caller} ${row.route}: ${r.text.slice(0, 300)}`).toBe(want);
        if (want === 404) expect(r.json.code).toMatch(/NOT_FOUND|NO_SUCH/);
        if (want === 409) expect(r.json.code).toBe('CONFLICT');
      }
    });
  }
});
