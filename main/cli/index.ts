// `pass-batch`: the command line over the service's runtime. main() never throws and never
// exits the process: it returns the exit code, so bin/pass-batch.mjs and the tests both
// drive it the same way.
import { parseCommand, type Command } from './args.ts';
import { abandonCommand, executionsCommand, jobsCommand, markFailedCommand, migrateCommand, restoreCommand, seedCommand, stopCommand } from './commands.ts';
import { EXIT_OK, exitCodeFor, oneLine, UsageError } from './errors.ts';
import { isTimeZoneName } from '../batch/index.ts';
import { HELP_TOPICS, helpText } from './help.ts';
import { resolveCli, type Cli, type CliDeps } from './io.ts';
import { runCommand } from './run.ts';

export type { CliDeps } from './io.ts';

const DEFAULT_TIME_ZONE = 'Asia/Seoul';

export async function main(argv: string[], deps: CliDeps = {}): Promise<number> {
  const timeZone = process.env.PASS_TIME_ZONE?.trim() || DEFAULT_TIME_ZONE;
  const cli = resolveCli(deps, timeZone);
  try {
    // Checked up front: a misspelt zone would otherwise shift every printed time and every
    // date parameter without a word.
    if (!isTimeZoneName(timeZone)) throw new UsageError(`PASS_TIME_ZONE "${timeZone}" is not a time zone name like Asia/Seoul`);
    return await dispatch(cli, parseCommand(argv));
  } catch (error) {
    cli.err.write(`pass-batch: ${oneLine(error)}\n`);
    return exitCodeFor(error);
  }
}

async function dispatch(cli: Cli, command: Command): Promise<number> {
  switch (command.name) {
    case 'help':
      if (command.topic && !(HELP_TOPICS as readonly string[]).includes(command.topic)) {
        throw new UsageError(`no help for "${command.topic}": it is not a command (${HELP_TOPICS.join(', ')})`);
      }
      cli.out.write(helpText(command.topic));
      return EXIT_OK;
    case 'migrate':
      return migrateCommand(cli);
    case 'jobs':
      return jobsCommand(cli);
    case 'run':
    case 'restart':
      return runCommand(cli, command);
    case 'stop':
      return stopCommand(cli, command);
    case 'abandon':
      return abandonCommand(cli, command);
    case 'mark-failed':
      return markFailedCommand(cli, command);
    case 'executions':
      return executionsCommand(cli, command);
    case 'seed':
      return seedCommand(cli, command);
    case 'restore':
      return restoreCommand(cli, command);
  }
}
