// What `pass-batch help` says. One entry per command, so `help run` and `run --help` show
// the same text as the overview.
import type { CommandName } from './args.ts';

interface Entry {
  usage: string;
  summary: string;
  details?: string[];
}

/**
 * `serve` is no command of main(): bin/pass-batch.mjs hands it to the HTTP transport's own entry
 * point (main/http/serve.ts; this layer may not import it), but it is one of pass-batch's commands.
 */
export type HelpTopic = CommandName | 'serve';

const ENTRIES: Record<HelpTopic, Entry> = {
  migrate: { usage: 'migrate', summary: 'apply the database migrations that have not run yet' },
  jobs: { usage: 'jobs', summary: 'list the jobs with their parameters' },
  run: {
    usage: 'run <job> [name=value ...] [--launched-by NAME]',
    summary: 'run a job and wait for it to end',
    details: [
      'Parameters are checked against the job\'s schema before anything is written.',
      'Dates and times are ISO 8601: 2026-12-01T09:00 (gym time) or 2026-12-01T09:00:00+09:00.',
      'Ctrl-C asks the execution to stop at its next chunk boundary; a second Ctrl-C quits at once.',
    ],
  },
  restart: {
    usage: 'restart <executionId> [--launched-by NAME]',
    summary: 'resume a FAILED or STOPPED execution from its last committed chunk',
  },
  stop: { usage: 'stop <executionId>', summary: 'ask a running execution to stop at its next chunk boundary' },
  abandon: { usage: 'abandon <executionId>', summary: 'mark a STOPPED or FAILED execution ABANDONED (never restarted)' },
  'mark-failed': {
    usage: 'mark-failed <executionId>',
    summary: "mark FAILED an execution another application (Spring Batch) left running when it died, so it can restart it",
  },
  executions: {
    usage: 'executions [--job NAME] [--status STATUS] [--page N] [--json]',
    summary: 'list executions, newest first, 50 a page',
  },
  seed: {
    usage: 'seed [--members 2000] [--days 30] [--seed 42] [--reset]',
    summary: 'fill the database with a demo gym (--reset replaces existing pass data)',
  },
  restore: {
    usage: 'restore <backupFile> --yes',
    summary: 'put a backup (from backupDatabaseJob) in place of the embedded SQLite database',
    details: [
      'Close every console and `pass-batch serve` using the database first; it is refused while anyone has it open.',
      'The database as it is now is first copied to the backup folder, so a restore can be undone the same way.',
      'Without --yes it only says what it would do.',
    ],
  },
  serve: {
    usage: 'serve [--port 5170] [--host 127.0.0.1] [--static DIR]',
    summary: 'serve the console (HTTP API and screens) with the engine and the scheduler until Ctrl-C',
    details: [
      'Binds 127.0.0.1 unless --host says otherwise; PASS_PORT and PASS_HOST work too.',
      'The first run creates the admin account with PASS_ADMIN_PASSWORD, or prints a generated password once.',
      'PASS_SCHEDULER=off serves without firing the schedules.',
    ],
  },
  help: { usage: 'help [command]', summary: 'show this help' },
};

const FOOTER = [
  'Environment:',
  '  PASS_DB_URL      mysql://user:pass@host:3306/db or sqlite:<file> (default: a SQLite file in your data folder)',
  '  PASS_TIME_ZONE   the gym\'s time zone for printed times and parameters (default Asia/Seoul)',
  '  PASS_BACKUP_DIR  where backups go unless the backup schedule says (default: backups beside the SQLite file)',
  '',
  'Exit codes: 0 completed, 1 failed, stopped or refused, 2 usage error.',
];

/** Every name `pass-batch help <topic>` explains. */
export const HELP_TOPICS = Object.keys(ENTRIES) as HelpTopic[];

export function helpText(topic?: string): string {
  const entry = topic && Object.hasOwn(ENTRIES, topic) ? ENTRIES[topic as HelpTopic] : undefined;
  if (entry) {
    return [`Usage: pass-batch ${entry.usage}`, '', `  ${entry.summary}`, ...(entry.details ?? []).map((d) => `  ${d}`), ''].join('\n');
  }
  return [
    'Usage: pass-batch <command> [options]',
    '',
    'Commands:',
    ...Object.values(ENTRIES).flatMap((e) => [`  ${e.usage}`, `      ${e.summary}`]),
    '',
    ...FOOTER,
    '',
  ].join('\n');
}
