// `run` and `restart`: launch an execution, show its progress, let Ctrl-C stop it cleanly,
// and end with the step table. The exit code is the execution's outcome.
import type { Database, JobExecution, JobOperator, Launched, StepExecution } from '../batch/index.ts';
import { auditedCliLaunch } from './audit.ts';
import type { Command } from './args.ts';
import { withRuntime } from './database.ts';
import { EXIT_FAILED, EXIT_OK } from './errors.ts';
import { formatParameters } from './format.ts';
import type { Cli } from './io.ts';
import { progressView } from './progress.ts';
import { executionSummary } from './summary.ts';

type LaunchCommand = Extract<Command, { name: 'run' | 'restart' }>;

/** The shell's convention for "ended by SIGINT". */
const EXIT_INTERRUPTED = 130;

export function runCommand(cli: Cli, command: LaunchCommand): Promise<number> {
  return withRuntime(cli, async ({ db, operator }) => {
    const view = progressView(cli);
    let executionId: number | undefined;
    let interrupts = 0;
    let stopWhenStarted = false;

    const requestStop = (id: number) => {
      operator.stop(id).catch((error: Error) => {
        // It may have ended between the keypress and the request: nothing left to stop.
        view.note(`Could not ask execution ${id} to stop: ${error.message}`);
      });
    };
    const onInterrupt = () => {
      interrupts++;
      if (interrupts === 1) {
        view.note(
          executionId === undefined
            ? 'Stopping as soon as the execution has started (Ctrl-C again to quit at once)…'
            : `Stopping execution ${executionId} at its next chunk boundary (Ctrl-C again to quit at once)…`,
        );
        if (executionId !== undefined) requestStop(executionId);
        else stopWhenStarted = true;
        return;
      }
      // The impatient way out: the lease is left to expire, and the next start of any
      // pass-batch marks the execution FAILED so it can be restarted from its last commit.
      view.close();
      cli.err.write(
        `pass-batch: interrupted again, quitting without waiting${executionId === undefined ? '' : `; execution ${executionId} will be marked FAILED by the next start and can then be restarted`}\n`,
      );
      cli.exit(EXIT_INTERRUPTED);
    };

    // Only this execution's events: the operator is ours alone, but say so rather than rely on it.
    const unsubscribe = operator.events.subscribe((event) => {
      if (executionId === undefined || event.jobExecutionId === executionId) view.handle(event);
    });
    cli.signals.on('SIGINT', onInterrupt);
    try {
      // The id is known (and Ctrl-C can stop it) as soon as the engine answers, before its audit row is amended.
      const launched = await launch(db, operator, command, (id) => (executionId = id));
      const { jobName } = launched.execution;
      view.note(header(launched.execution, jobName, command, cli.timeZone));
      if (stopWhenStarted) requestStop(launched.execution.id);
      const finished = await launched.done;
      view.close();
      cli.out.write(executionSummary({ ...finished, jobName }, await stepsOf(operator, finished), cli.timeZone));
      return finished.status === 'COMPLETED' ? EXIT_OK : EXIT_FAILED;
    } finally {
      cli.signals.off('SIGINT', onInterrupt);
      unsubscribe();
      view.close();
    }
  });
}

/** Starts or restarts the execution, audited as the console's launches are (main/cli/audit.ts). */
function launch(db: Database, operator: JobOperator, command: LaunchCommand, started: (id: number) => void): Promise<Launched> {
  const done = (l: Launched) => {
    started(l.execution.id);
    return { target: `execution:${l.execution.id}`, detail: { ...detailOf(command), executionId: l.execution.id } };
  };
  return command.name === 'run'
    ? auditedCliLaunch(db, { action: 'executions.launch', target: `job:${command.job}`, detail: detailOf(command) }, () => operator.start(command.job, command.params, { launchedBy: command.launchedBy }), done)
    : auditedCliLaunch(db, { action: 'executions.restart', target: `execution:${command.executionId}`, detail: detailOf(command) }, () => operator.restart(command.executionId, { launchedBy: command.launchedBy }), done);
}

const detailOf = (command: LaunchCommand): Record<string, unknown> =>
  command.name === 'run' ? { job: command.job, params: command.params, launchedBy: command.launchedBy } : { id: command.executionId, launchedBy: command.launchedBy };

function header(execution: JobExecution, jobName: string, command: LaunchCommand, timeZone: string): string {
  const what = command.name === 'restart' ? `restarts execution ${command.executionId}` : 'started';
  return `Execution ${execution.id} of ${jobName} ${what} (parameters: ${formatParameters(execution.parameters, timeZone)})`;
}

async function stepsOf(operator: JobOperator, execution: JobExecution): Promise<StepExecution[]> {
  try {
    return await operator.repository.stepExecutions(execution.id);
  } catch {
    // The database went away at the end: the outcome is still worth printing without the table.
    return [];
  }
}
