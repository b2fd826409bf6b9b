// The one contract every screen and API call goes through, in three parts: the inputs (who may
// call, and the building blocks of the schemas), the views (what comes back) and the operations
// (each one's name, least role, input schema and answer, side by side). The service implements
// it (service.ts), the transports carry it (HTTP, IPC, CLI), and the renderer imports its types
// only, from this file. Times cross as ISO 8601 strings; input times without an offset are read
// in the gym's time zone.
export type { Message, ServiceErrorBody } from './errors.ts';
/** The engine's running statuses (STARTING, STARTED, STOPPING), for the transports; the renderer keeps its copy (renderer/src/lib/status.ts), checked equal by a test. */
export { RUNNING_STATUSES } from '../batch/status.ts';
export { dateTime, roleAtLeast, ROLES, STAFF_ROLES, type CronFields, type PasswordRule, type Role, type UsernameRule } from './contract/inputs.ts';
export * from './contract/views.ts';
export * from './contract/operations.ts';
