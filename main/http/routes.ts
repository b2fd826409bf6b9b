// The HTTP API as a table: each route names the service operation it carries and how its
// input is assembled from the path, the query string and the body. The server registers these,
// and the OpenAPI document is generated from the same table and the contract's schemas.
import type { OperationName } from '../service/contract.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Route {
  method: Method;
  /** fastify syntax: /api/executions/:id */
  path: string;
  operation: OperationName;
  /** path parameters, each as the input field it fills, and whether it is a number */
  params?: Record<string, { field: string; number?: boolean }>;
  /** query parameters copied into the input (numbers converted when they look like one) */
  query?: Record<string, { field: string; number?: boolean }>;
  /** the JSON body is the input (merged with the path parameters) */
  body?: boolean;
  /** answer with the file the operation names instead of JSON */
  download?: boolean;
  /** the largest body this route (and /api/rpc/<operation>) takes, when more than the server's default */
  bodyLimit?: number;
}

/** An upload's body: a 20 MB file as base64 (4 characters per 3 bytes) and its JSON around it. */
export const IMPORT_BODY_LIMIT = Math.ceil((20 * 1024 * 1024) / 3) * 4 + 64 * 1024;

const id = { id: { field: 'id', number: true } };
const page = { page: { field: 'page', number: true }, pageSize: { field: 'pageSize', number: true } };

export const ROUTES: Route[] = [
  { method: 'POST', path: '/api/session', operation: 'session.login', body: true },
  { method: 'GET', path: '/api/session', operation: 'session.me' },
  { method: 'DELETE', path: '/api/session', operation: 'session.logout' },
  { method: 'PUT', path: '/api/session/password', operation: 'session.changePassword', body: true },

  // First run: answers CONFLICT on any console that has an account (as serve always has).
  { method: 'GET', path: '/api/setup', operation: 'setup.status' },
  { method: 'POST', path: '/api/setup/admin', operation: 'setup.createAdmin', body: true },
  { method: 'GET', path: '/api/setup/first-steps', operation: 'setup.firstSteps' },

  { method: 'GET', path: '/api/users', operation: 'members.search', query: { query: { field: 'query' }, limit: { field: 'limit', number: true }, after: { field: 'after' } } },
  { method: 'GET', path: '/api/users/:userId/passes', operation: 'members.passes', params: { userId: { field: 'userId' } } },
  { method: 'POST', path: '/api/users/:userId/passes', operation: 'passes.register', params: { userId: { field: 'userId' } }, body: true },
  { method: 'POST', path: '/api/passes/:passSeq/cancel', operation: 'passes.cancel', params: { passSeq: { field: 'passSeq', number: true } }, body: true },
  { method: 'POST', path: '/api/passes/:passSeq/extend', operation: 'passes.extend', params: { passSeq: { field: 'passSeq', number: true } }, body: true },
  { method: 'POST', path: '/api/users', operation: 'members.create', body: true },
  { method: 'PUT', path: '/api/users/:userId', operation: 'members.update', params: { userId: { field: 'userId' } }, body: true },
  { method: 'POST', path: '/api/users/:userId/deactivate', operation: 'members.deactivate', params: { userId: { field: 'userId' } } },
  { method: 'POST', path: '/api/users/:userId/reactivate', operation: 'members.reactivate', params: { userId: { field: 'userId' } } },
  { method: 'PUT', path: '/api/users/:userId/groups/:groupId', operation: 'members.addToGroup', params: { userId: { field: 'userId' }, groupId: { field: 'userGroupId' } } },
  { method: 'DELETE', path: '/api/users/:userId/groups/:groupId', operation: 'members.removeFromGroup', params: { userId: { field: 'userId' }, groupId: { field: 'userGroupId' } } },
  { method: 'POST', path: '/api/users/:userId/groups', operation: 'members.addToNewGroup', params: { userId: { field: 'userId' } }, body: true },
  { method: 'GET', path: '/api/packages', operation: 'packages.list' },
  { method: 'POST', path: '/api/packages', operation: 'packages.create', body: true },
  { method: 'PUT', path: '/api/packages/:packageSeq', operation: 'packages.update', params: { packageSeq: { field: 'packageSeq', number: true } }, body: true },
  { method: 'POST', path: '/api/packages/:packageSeq/retire', operation: 'packages.retire', params: { packageSeq: { field: 'packageSeq', number: true } } },
  { method: 'POST', path: '/api/packages/:packageSeq/restore', operation: 'packages.restore', params: { packageSeq: { field: 'packageSeq', number: true } } },
  { method: 'GET', path: '/api/classes', operation: 'classes.list', query: { from: { field: 'from' }, to: { field: 'to' } } },
  { method: 'POST', path: '/api/classes', operation: 'classes.create', body: true },
  { method: 'GET', path: '/api/classes/:classSeq', operation: 'classes.get', params: { classSeq: { field: 'classSeq', number: true } } },
  { method: 'PUT', path: '/api/classes/:classSeq', operation: 'classes.update', params: { classSeq: { field: 'classSeq', number: true } }, body: true },
  { method: 'POST', path: '/api/classes/:classSeq/cancel', operation: 'classes.cancel', params: { classSeq: { field: 'classSeq', number: true } } },
  { method: 'POST', path: '/api/classes/:classSeq/bookings', operation: 'bookings.create', params: { classSeq: { field: 'classSeq', number: true } }, body: true },
  { method: 'DELETE', path: '/api/classes/:classSeq/waitlist/:waitlistSeq', operation: 'waitlist.remove', params: { classSeq: { field: 'classSeq', number: true }, waitlistSeq: { field: 'waitlistSeq', number: true } } },
  { method: 'POST', path: '/api/bookings/:bookingSeq/cancel', operation: 'bookings.cancel', params: { bookingSeq: { field: 'bookingSeq', number: true } } },
  { method: 'POST', path: '/api/bookings/:bookingSeq/attendance', operation: 'bookings.markAttended', params: { bookingSeq: { field: 'bookingSeq', number: true } }, body: true },
  { method: 'POST', path: '/api/classes/:classSeq/attend-all', operation: 'classes.markAllAttended', params: { classSeq: { field: 'classSeq', number: true } } },
  // the check-in kiosk (KIOSK accounts only): the digits travel in the body, never in a URL that logs keep
  { method: 'POST', path: '/api/kiosk/find', operation: 'kiosk.find', body: true },
  { method: 'POST', path: '/api/kiosk/member', operation: 'kiosk.member', body: true },
  { method: 'POST', path: '/api/kiosk/check-in', operation: 'kiosk.checkIn', body: true },
  { method: 'GET', path: '/api/groups', operation: 'groups.list' },

  { method: 'GET', path: '/api/admin/bulk-passes', operation: 'bulkGrants.list', query: { status: { field: 'status' } } },
  { method: 'POST', path: '/api/admin/bulk-passes', operation: 'bulkGrants.create', body: true },
  { method: 'DELETE', path: '/api/admin/bulk-passes/:id', operation: 'bulkGrants.cancel', params: { id: { field: 'bulkPassSeq', number: true } } },
  { method: 'POST', path: '/api/admin/bulk-passes/:id/grant-now', operation: 'bulkGrants.grantNow', params: { id: { field: 'bulkPassSeq', number: true } } },

  // 회원 가져오기: the upload's body is the file as base64, so it alone takes up to 28 MB.
  { method: 'POST', path: '/api/imports', operation: 'imports.upload', body: true, bodyLimit: IMPORT_BODY_LIMIT },
  { method: 'GET', path: '/api/imports/:fileName/preview', operation: 'imports.preview', params: { fileName: { field: 'fileName' } } },
  { method: 'POST', path: '/api/imports/:fileName/executions', operation: 'imports.start', params: { fileName: { field: 'fileName' } }, body: true },
  { method: 'GET', path: '/api/import-executions/:id', operation: 'imports.status', params: id },
  { method: 'GET', path: '/api/import-executions/:id/rejects', operation: 'imports.rejects', params: id },

  {
    method: 'GET',
    path: '/api/admin/statistics',
    operation: 'statistics.series',
    query: { from: { field: 'from' }, to: { field: 'to' }, unit: { field: 'unit' } },
  },
  { method: 'POST', path: '/api/admin/statistics/build', operation: 'statistics.build', body: true },
  { method: 'GET', path: '/api/sales', operation: 'sales.summary', query: { from: { field: 'from' }, to: { field: 'to' } } },

  { method: 'GET', path: '/api/jobs', operation: 'jobs.list' },
  { method: 'GET', path: '/api/job-names', operation: 'jobs.namesInHistory' },
  { method: 'POST', path: '/api/jobs/:name/executions', operation: 'executions.launch', params: { name: { field: 'job' } }, body: true },
  { method: 'GET', path: '/api/executions', operation: 'executions.list', query: { job: { field: 'job' }, status: { field: 'status' }, from: { field: 'from' }, to: { field: 'to' }, ...page } },
  { method: 'GET', path: '/api/executions/:id', operation: 'executions.get', params: id },
  { method: 'POST', path: '/api/executions/:id/restart', operation: 'executions.restart', params: id },
  { method: 'POST', path: '/api/executions/:id/stop', operation: 'executions.stop', params: id },
  { method: 'POST', path: '/api/executions/:id/abandon', operation: 'executions.abandon', params: id },
  { method: 'POST', path: '/api/executions/:id/mark-failed', operation: 'executions.markFailed', params: id },

  { method: 'GET', path: '/api/reports', operation: 'reports.list', query: { kind: { field: 'kind' } } },
  { method: 'GET', path: '/api/reports/:id', operation: 'reports.file', params: id },
  { method: 'GET', path: '/api/reports/:id/file', operation: 'reports.file', params: id, download: true },

  { method: 'GET', path: '/api/schedules', operation: 'schedules.list' },
  { method: 'PUT', path: '/api/schedules', operation: 'schedules.update', body: true },
  { method: 'PUT', path: '/api/schedules/:job', operation: 'schedules.update', params: { job: { field: 'job' } }, body: true },

  { method: 'GET', path: '/api/settings', operation: 'settings.get' },
  { method: 'PUT', path: '/api/settings', operation: 'settings.update', body: true },
  { method: 'POST', path: '/api/settings/test-database', operation: 'settings.testDatabase', body: true },
  { method: 'POST', path: '/api/settings/test-notifier', operation: 'settings.testNotifier' },
  { method: 'GET', path: '/api/backups', operation: 'backups.list' },
  { method: 'POST', path: '/api/backups', operation: 'backups.run' },

  {
    method: 'GET',
    path: '/api/notifications',
    operation: 'notifications.list',
    query: { userId: { field: 'userId' }, status: { field: 'status' }, from: { field: 'from' }, to: { field: 'to' }, after: { field: 'after' }, pageSize: { field: 'pageSize', number: true } },
  },
  { method: 'POST', path: '/api/notifications/:id/resend', operation: 'notifications.resend', params: { id: { field: 'notificationSeq', number: true } } },

  { method: 'GET', path: '/api/audit', operation: 'audit.list', query: { actor: { field: 'actor' }, action: { field: 'action' }, ...page } },

  { method: 'GET', path: '/api/staff', operation: 'staff.list' },
  { method: 'POST', path: '/api/staff', operation: 'staff.create', body: true },
  { method: 'PUT', path: '/api/staff/:username/password', operation: 'staff.setPassword', params: { username: { field: 'username' } }, body: true },
  { method: 'PUT', path: '/api/staff/:username/role', operation: 'staff.setRole', params: { username: { field: 'username' } }, body: true },
  { method: 'POST', path: '/api/staff/:username/disable', operation: 'staff.disable', params: { username: { field: 'username' } } },
  { method: 'POST', path: '/api/staff/:username/enable', operation: 'staff.enable', params: { username: { field: 'username' } } },
  { method: 'POST', path: '/api/staff/:username/unlock', operation: 'staff.unlock', params: { username: { field: 'username' } } },
];

/** '12' → 12 for numeric fields; anything else is left for the schema to refuse by name. */
function convert(value: unknown, number: boolean | undefined): unknown {
  if (number && typeof value === 'string' && /^-?\d{1,15}$/.test(value)) return Number(value);
  return value;
}

/** The operation's raw input from a request's parts; the service's schema checks all of it. */
export function inputOf(route: Route, parts: { params: unknown; query: unknown; body: unknown }): unknown {
  const fromPath: Record<string, unknown> = {};
  const params = (parts.params ?? {}) as Record<string, unknown>;
  for (const [name, spec] of Object.entries(route.params ?? {})) fromPath[spec.field] = convert(params[name], spec.number);
  const query = (parts.query ?? {}) as Record<string, unknown>;
  for (const [name, spec] of Object.entries(route.query ?? {})) {
    const value = query[name];
    if (value !== undefined && value !== '') fromPath[spec.field] = convert(value, spec.number);
  }
  if (!route.body) return fromPath;
  const body = parts.body;
  if (body === undefined || body === null) return fromPath;
  // An array or a string is not an input object: the schema says so, naming nothing invented here.
  if (typeof body !== 'object' || Array.isArray(body)) return Object.keys(fromPath).length ? { ...fromPath, body } : body;
  // The path names the thing; a body cannot point the call elsewhere.
  return { ...(body as Record<string, unknown>), ...fromPath };
}
