// The command line is an operator's tool, like Spring Batch's CommandLineJobRunner: it works on
// the engine directly. Every change it makes is still written to the activity log, as the
// console's are, by the same code (main/service/audit.ts) and under the same action names, with
// the actor `cli:<OS user>`: a launch or restart before it happens (removed again if the engine
// refuses it), a stop, abandon or mark-failed just after, a restore in the restored database.
import { osActor } from '../app/restore.ts';
import type { Database } from '../batch/index.ts';
import { auditedLaunch, writeAudit, type AuditAmendment } from '../service/audit.ts';
import { serviceDb } from '../service/tables.ts';

/** `cli:<the OS account running pass-batch>`. */
export const cliActor = (): string => osActor('cli');

interface Change {
  action: 'executions.launch' | 'executions.restart' | 'executions.stop' | 'executions.abandon' | 'executions.markFailed';
  target: string;
  detail: Record<string, unknown>;
}

/** A launch or restart, recorded before it happens; `done` adds what the engine answered. */
export function auditedCliLaunch<T>(db: Database, change: Change, launch: () => Promise<T>, done: (launched: T) => AuditAmendment): Promise<T> {
  return auditedLaunch(serviceDb(db), { actor: cliActor(), ...change }, new Date(), launch, done);
}

/** A stop, abandon or mark-failed, recorded once the engine has made it. */
export async function auditedCliChange<T>(db: Database, change: Change, make: () => Promise<T>): Promise<T> {
  const result = await make();
  await writeAudit(serviceDb(db), { actor: cliActor(), ...change });
  return result;
}
