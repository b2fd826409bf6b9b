// The commands that do one thing and return: migrate, jobs, stop, abandon, mark-failed, executions, seed, restore.
// (run and restart, which watch an execution to its end, are in run.ts.)
import type { ExecutionTotals, JobDefinition, JobExecution, ParameterSpec, StepExecution } from '../batch/index.ts';
import { databaseUrlFromEnv } from '../batch/index.ts';
import { restoreBackup, restoreTarget } from '../app/restore.ts';
import { auditedCliChange, cliActor } from './audit.ts';
import { seedDemoGym } from '../pass/demo/demoGym.ts';
import type { Command } from './args.ts';
import { migrateDatabase, withRuntime } from './database.ts';
import { EXIT_OK, UsageError } from './errors.ts';
import { durationBetween, formatCount, formatDefault, formatDuration, formatTime } from './format.ts';
import type { Cli } from './io.ts';
import { isPartition } from './summary.ts';
import { renderTable } from './table.ts';

type Of<N extends Command['name']> = Extract<Command, { name: N }>;

const PAGE_SIZE = 50;

export async function migrateCommand(cli: Cli): Promise<number> {
  const { url, applied, keptAs, known } = await migrateDatabase(cli);
  if (keptAs) cli.print(`Kept the database as it was before the upgrade: ${keptAs}`);
  if (applied.length) {
    cli.print(`Applied ${applied.length} migration${applied.length === 1 ? '' : 's'} to ${url}:`);
    for (const name of applied) cli.print(`  ${name}`);
  } else {
    cli.print(`The schema of ${url} is up to date (${known} migrations).`);
  }
  return EXIT_OK;
}

// ---- jobs ---------------------------------------------------------------------------------

function parameterRows(job: JobDefinition, timeZone: string): string[][] {
  return Object.entries(job.params as Record<string, ParameterSpec>).map(([name, spec]) => [
    name,
    spec.type,
    formatDefault(spec, timeZone),
    spec.identifying ? 'yes' : 'no',
    spec.required && spec.default === undefined ? 'yes' : 'no',
    [spec.description?.ko, spec.description?.en].filter(Boolean).join(' / '),
  ]);
}

export async function jobsCommand(cli: Cli): Promise<number> {
  return withRuntime(cli, async ({ operator }) => {
    const jobs = operator.jobs;
    if (!jobs.length) {
      cli.print('No jobs are defined.');
      return EXIT_OK;
    }
    jobs.forEach((job, i) => {
      if (i > 0) cli.print();
      cli.print(job.title ? `${job.name}  ${job.title.ko} / ${job.title.en}` : job.name);
      for (const line of [job.description?.ko, job.description?.en]) if (line) cli.print(`  ${line}`);
      if (!job.restartable) cli.print('  not restartable: a failed run needs new parameters');
      const rows = parameterRows(job, cli.timeZone);
      if (!rows.length) {
        cli.print('  no parameters');
        return;
      }
      cli.out.write(
        renderTable(
          [{ header: 'parameter' }, { header: 'type' }, { header: 'default' }, { header: 'identifying' }, { header: 'required' }, { header: 'description' }],
          rows,
          '  ',
        ),
      );
    });
    return EXIT_OK;
  });
}

// ---- stop, abandon, mark-failed -----------------------------------------------------------

export async function stopCommand(cli: Cli, command: Of<'stop'>): Promise<number> {
  return withRuntime(cli, async ({ db, operator }) => {
    const id = command.executionId;
    const execution = await auditedCliChange(db, { action: 'executions.stop', target: `execution:${id}`, detail: { id } }, () => operator.stop(id));
    cli.print(
      `Asked execution ${execution.id} of ${execution.jobName} to stop: it finishes its current chunk, ` +
        `then ends STOPPED and can be restarted (pass-batch restart ${execution.id}).`,
    );
    return EXIT_OK;
  });
}

export async function abandonCommand(cli: Cli, command: Of<'abandon'>): Promise<number> {
  return withRuntime(cli, async ({ db, operator }) => {
    const id = command.executionId;
    const execution = await auditedCliChange(db, { action: 'executions.abandon', target: `execution:${id}`, detail: { id } }, () => operator.abandon(id));
    cli.print(`Execution ${execution.id} of ${execution.jobName} is ABANDONED; it will not be restarted.`);
    return EXIT_OK;
  });
}

export async function markFailedCommand(cli: Cli, command: Of<'mark-failed'>): Promise<number> {
  return withRuntime(cli, async ({ db, operator }) => {
    const id = command.executionId;
    const execution = await auditedCliChange(db, { action: 'executions.markFailed', target: `execution:${id}`, detail: { id } }, () => operator.markFailed(id, 'cli'));
    cli.print(`Execution ${execution.id} of ${execution.jobName} is marked FAILED; the application that ran it can restart it.`);
    return EXIT_OK;
  });
}

// ---- executions ---------------------------------------------------------------------------

interface ExecutionRow {
  execution: JobExecution;
  totals: ExecutionTotals;
  /** only read for --json */
  steps: StepExecution[];
}

const NO_TOTALS: ExecutionTotals = { read: 0, write: 0, filter: 0, skip: 0 };

function executionJson({ execution: e, totals, steps }: ExecutionRow) {
  return {
    id: e.id,
    instanceId: e.instanceId,
    jobName: e.jobName,
    status: e.status,
    exitCode: e.exitCode,
    exitMessage: e.exitMessage,
    createTime: e.createTime.toISOString(),
    startTime: e.startTime?.toISOString() ?? null,
    endTime: e.endTime?.toISOString() ?? null,
    durationMs: durationBetween(e.startTime, e.endTime),
    launchedBy: e.launchedBy,
    external: e.external,
    parameters: e.parameters.map((p) => ({ ...p, value: p.value instanceof Date ? p.value.toISOString() : p.value })),
    totals: { read: totals.read, written: totals.write, filtered: totals.filter, skipped: totals.skip },
    steps: steps.map((s) => ({
      id: s.id,
      name: s.stepName,
      partition: isPartition(s),
      status: s.status,
      readCount: s.readCount,
      writeCount: s.writeCount,
      filterCount: s.filterCount,
      readSkipCount: s.readSkipCount,
      processSkipCount: s.processSkipCount,
      writeSkipCount: s.writeSkipCount,
      commitCount: s.commitCount,
      rollbackCount: s.rollbackCount,
      startTime: s.startTime?.toISOString() ?? null,
      endTime: s.endTime?.toISOString() ?? null,
      exitMessage: s.exitMessage,
    })),
  };
}

function executionTable(rows: ExecutionRow[], timeZone: string): string {
  return renderTable(
    [
      { header: 'id', align: 'right' },
      { header: 'job' },
      { header: 'status' },
      { header: `started (${timeZone})` },
      { header: 'duration', align: 'right' },
      { header: 'read', align: 'right' },
      { header: 'written', align: 'right' },
      { header: 'skipped', align: 'right' },
      { header: 'launched by' },
    ],
    rows.map(({ execution: e, totals }) => [
        String(e.id),
        e.jobName,
        e.status,
        formatTime(e.startTime ?? e.createTime, timeZone),
        // A running execution's duration so far, marked so it is not read as final.
        formatDuration(durationBetween(e.startTime, e.endTime)) + (e.endTime || !e.startTime ? '' : '…'),
        formatCount(totals.read),
        formatCount(totals.write),
        formatCount(totals.skip),
        e.external ? '(other application)' : (e.launchedBy ?? '-'),
      ]),
  );
}

export async function executionsCommand(cli: Cli, command: Of<'executions'>): Promise<number> {
  return withRuntime(cli, async ({ operator }) => {
    const { repository, explorer } = operator;
    const { total, executions } = await explorer.listJobExecutions({
      jobName: command.job,
      status: command.status,
      page: command.page,
      pageSize: PAGE_SIZE,
    });
    // The page's totals in one query; each execution's steps only for --json, which lists them.
    const totals = await explorer.executionTotals(executions.map((e) => e.id));
    const rows: ExecutionRow[] = [];
    for (const execution of executions) {
      rows.push({ execution, totals: totals.get(execution.id) ?? NO_TOTALS, steps: command.json ? await repository.stepExecutions(execution.id) : [] });
    }
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

    if (command.json) {
      cli.print(JSON.stringify({ page: command.page, pageSize: PAGE_SIZE, pages, total, executions: rows.map(executionJson) }, null, 2));
      return EXIT_OK;
    }
    if (!rows.length) {
      const filtered = command.job || command.status;
      cli.print(total ? `Page ${command.page} is past the last page (${pages}).` : filtered ? 'No executions match.' : 'No executions yet.');
      return EXIT_OK;
    }
    cli.out.write(executionTable(rows, cli.timeZone));
    const more = command.page < pages ? `; next: pass-batch executions --page ${command.page + 1}` : '';
    cli.print(`Page ${command.page} of ${pages} (${formatCount(total)} execution${total === 1 ? '' : 's'})${more}`);
    return EXIT_OK;
  });
}

// ---- seed ---------------------------------------------------------------------------------

export async function seedCommand(cli: Cli, command: Of<'seed'>): Promise<number> {
  return withRuntime(cli, async ({ db }) => {
    try {
      const counts = await seedDemoGym(db, { members: command.members, days: command.days, seed: command.seed, reset: command.reset });
      cli.print(
        `Demo gym ready${command.reset ? ' (previous pass data replaced)' : ''}: ` +
          `${formatCount(counts.members)} members, ${formatCount(counts.packages)} packages, ${formatCount(counts.passes)} passes, ` +
          `${formatCount(counts.bookings)} bookings, ${formatCount(counts.bulkPasses)} bulk grants, ${formatCount(counts.userGroupMappings)} group memberships.`,
      );
      return EXIT_OK;
    } catch (error) {
      // Out-of-range options are the command's fault; a database that already has data is not.
      // (DemoGymRefusedError, data already there, falls through to exit 1 with its message.)
      if (error instanceof RangeError) throw new UsageError(`seed: ${error.message}`);
      throw error;
    }
  });
}

// ---- restore ------------------------------------------------------------------------------

/** Works on the files alone (main/app/restore.ts): opening the runtime would itself hold the database it replaces. */
export async function restoreCommand(cli: Cli, command: Of<'restore'>): Promise<number> {
  const url = cli.dbUrl ?? databaseUrlFromEnv();
  if (!url.startsWith('sqlite:')) {
    throw new UsageError('restore puts back the embedded SQLite database; restore a MySQL/MariaDB database with its server\'s own tools');
  }
  const { databaseFile, folder } = await restoreTarget(url);
  if (!command.yes) {
    throw new UsageError(
      `restore replaces ${databaseFile} with ${command.file} (the database as it is now is first copied to ${folder}); ` +
        'close every console using it, then run again with --yes',
    );
  }
  const { keptAs, audited } = await restoreBackup({ url, file: command.file, actor: cliActor() });
  cli.print(`Restored ${command.file} as ${databaseFile}.`);
  cli.print(`The database as it was is kept as ${keptAs}; to undo: pass-batch restore ${keptAs} --yes`);
  if (!audited) cli.print('This copy predates the activity log, so the restore is not recorded in it.');
  return EXIT_OK;
}
