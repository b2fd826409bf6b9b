// 백업 on the Settings screen: the copies backupDatabaseJob made of the embedded database, and
// "back up now", which runs that job with the nightly schedule's parameters, so a copy made by
// hand lands in the same folder and prunes to the same count.
import { BACKUPS_KEPT, backupDatabaseJob, backupDirectory, findBackups, sqlitePath } from '../batch/index.ts';
import type { HandlerContext } from './context.ts';
import type { BackupsView, ExecutionSummary } from './contract.ts';
import { ServiceError } from './errors.ts';
import { executionSummary } from './executions.ts';
import type { ScheduleAdmin } from './schedules.ts';

const JOB = backupDatabaseJob.name;

/** The nightly run's parameters but `now` (which each run sets), or none without a scheduler. */
async function scheduledParams(admin: ScheduleAdmin | undefined): Promise<Record<string, unknown>> {
  const schedule = (await admin?.list())?.find((s) => s.jobName === JOB);
  const { now: _now, ...params } = schedule?.params ?? {};
  return params;
}

export async function listBackups(ctx: HandlerContext, admin: ScheduleAdmin | undefined): Promise<BackupsView> {
  if (ctx.database.dialect !== 'sqlite') return { supported: false, databaseFile: null, folder: null, keep: null, backups: [] };
  const databaseFile = sqlitePath(ctx.database.url);
  const params = await scheduledParams(admin);
  const folder = backupDirectory(databaseFile, typeof params.backupDir === 'string' ? params.backupDir : undefined);
  const keep = typeof params.keep === 'number' ? params.keep : BACKUPS_KEPT;
  const copies = await findBackups(databaseFile, folder);
  return {
    supported: true,
    databaseFile,
    folder,
    keep,
    backups: copies.reverse().map((c) => ({ fileName: c.fileName, path: c.path, takenAt: c.takenAt.toISOString(), sizeBytes: c.sizeBytes })),
  };
}

export async function runBackup(ctx: HandlerContext, admin: ScheduleAdmin | undefined): Promise<ExecutionSummary> {
  // A request this database can't take (409, like any other conflict with how things are), not a
  // service that is down (503): the answer does not change by asking again later.
  if (ctx.database.dialect !== 'sqlite') {
    throw new ServiceError('CONFLICT', {
      ko: '이 데이터베이스는 MySQL/MariaDB입니다. 데이터베이스 서버의 백업 도구(mysqldump 등)로 백업하세요.',
      en: 'This database is MySQL/MariaDB: back it up with the database server’s own tools (such as mysqldump).',
    });
  }
  const params = await scheduledParams(admin);
  const launched = await ctx.auditLaunch(
    { action: 'backups.run', target: `job:${JOB}`, detail: { params } },
    () => ctx.operator.start(JOB, params, { launchedBy: ctx.actor, now: ctx.now }),
    (l) => ({ target: `execution:${l.execution.id}` }),
  );
  return executionSummary(launched.execution);
}
