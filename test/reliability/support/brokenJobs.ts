// Deliberately broken job variants, used only to show that the reliability tests catch what
// they claim to (PASS_RELIABILITY_BREAK=<part> swaps them in; see each test's header). The
// broken addPassesJob writes on a second connection, so it shows its failure on MariaDB only
// (on SQLite's single connection it would simply wait for itself).
import { defineJob, dateTimeParam, numberParam, taskletStep, toDbTime, type JobDefinition } from '../../../main/batch/index.ts';
import { join } from 'node:path';
import { passJobs } from '../../../main/pass/jobs/index.ts';
import { makeStatisticsJob } from '../../../main/pass/jobs/makeStatisticsJob.ts';
import { recordReport, reportDirectory } from '../../../main/pass/reports/reportFiles.ts';
import { writeDailyReport } from '../../../main/pass/reports/statisticsReports.ts';

/**
 * addPassesJob done wrong: the passes are inserted outside the step's transaction (autocommit),
 * so a crash after the insert and before the tasklet's commit leaves them granted while the
 * step's progress says they are not; the restart grants them again.
 */
export const brokenAddPassesJob = defineJob({
  name: 'addPassesJob',
  params: { now: dateTimeParam({ default: 'now' }), bulkPassSeq: numberParam({ default: 0, integer: true, min: 0 }) },
  steps: [
    taskletStep<{ now: Date }>({
      name: 'addPassesStep',
      tasklet: async ({ db, params }, tx) => {
        const grant = await tx
          .selectFrom('bulk_pass')
          .innerJoin('package', 'package.package_seq', 'bulk_pass.package_seq')
          .select(['bulk_pass.bulk_pass_seq', 'bulk_pass.package_seq', 'bulk_pass.user_group_id', 'bulk_pass.count', 'bulk_pass.started_at', 'bulk_pass.ended_at', 'package.count as package_count'])
          .where('bulk_pass.status', '=', 'READY')
          .where('bulk_pass.started_at', '<=', toDbTime(params.now))
          .orderBy('bulk_pass.bulk_pass_seq')
          .executeTakeFirst();
        if (!grant) return 'FINISHED';
        const members = await tx
          .selectFrom('user_group_mapping')
          .innerJoin('user', 'user.user_id', 'user_group_mapping.user_id')
          .select('user_group_mapping.user_id')
          .where('user_group_mapping.user_group_id', '=', grant.user_group_id)
          .where('user.status', '=', 'ACTIVE')
          .execute();
        for (const { user_id } of members) {
          // the bug: db.kysely, not tx
          await db.kysely
            .insertInto('pass')
            .values({
              package_seq: grant.package_seq,
              user_id,
              status: 'PROGRESSED',
              remaining_count: grant.count ?? grant.package_count,
              started_at: grant.started_at,
              ended_at: grant.ended_at,
              bulk_pass_seq: grant.bulk_pass_seq,
              created_at: toDbTime(params.now),
            })
            .execute();
        }
        await tx.updateTable('bulk_pass').set({ status: 'COMPLETED', modified_at: toDbTime(params.now) }).where('bulk_pass_seq', '=', grant.bulk_pass_seq).execute();
        return 'CONTINUABLE';
      },
    }),
  ],
});

/** The pass jobs, or with PASS_RELIABILITY_BREAK=crash the broken addPassesJob among them. */
export function jobsUnderTest(): JobDefinition<any>[] {
  if (process.env.PASS_RELIABILITY_BREAK !== 'crash') return passJobs;
  return passJobs.map((job) => (job.name === 'addPassesJob' ? brokenAddPassesJob : job));
}

/**
 * makeStatisticsJob done wrong: a report that cannot be written is recorded anyway (the error
 * swallowed), so a half-written or missing file is listed and the job says COMPLETED.
 */
export const brokenMakeStatisticsJob = defineJob({
  name: 'makeStatisticsJob',
  params: makeStatisticsJob.params,
  steps: [
    makeStatisticsJob.flow[0]!,
    taskletStep<{ from: Date; to: Date; reportDir: string }>({
      name: 'writeDailyReportStep',
      tasklet: async ({ db, params, timeZone, jobExecutionId }, tx) => {
        const directory = reportDirectory(params.reportDir);
        try {
          await writeDailyReport({ tx, dialect: db.dialect, from: params.from, to: params.to, timeZone, directory, tag: jobExecutionId });
        } catch {
          await recordReport(tx, db.dialect, { kind: 'DAILY', format: 'CSV', periodFrom: params.from, periodTo: params.to, filePath: join(directory, 'daily.csv'), rowCount: 0, sizeBytes: 0 });
        }
        return 'FINISHED';
      },
    }),
  ],
});

/** The pass jobs with the broken makeStatisticsJob among them (PASS_RELIABILITY_BREAK=report). */
export function reportJobsUnderTest(): JobDefinition<any>[] {
  if (process.env.PASS_RELIABILITY_BREAK !== 'report') return passJobs;
  return passJobs.map((job) => (job.name === 'makeStatisticsJob' ? brokenMakeStatisticsJob : job));
}
