// The command line's grammar: argv in, one typed command out, or a UsageError whose message
// fits on one line and says what to fix.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BATCH_STATUSES, type BatchStatus } from '../batch/index.ts';
import { UsageError } from './errors.ts';

export type Command =
  | { name: 'help'; topic?: string }
  | { name: 'migrate' }
  | { name: 'jobs' }
  | { name: 'run'; job: string; params: Record<string, string>; launchedBy: string }
  | { name: 'restart'; executionId: number; launchedBy: string }
  | { name: 'stop'; executionId: number }
  | { name: 'abandon'; executionId: number }
  | { name: 'mark-failed'; executionId: number }
  | { name: 'executions'; job?: string; status?: BatchStatus; page: number; json: boolean }
  | { name: 'seed'; members: number; days: number; seed: number; reset: boolean }
  | { name: 'restore'; file: string; yes: boolean };

export type CommandName = Command['name'];

export const COMMAND_NAMES: readonly CommandName[] = ['migrate', 'jobs', 'run', 'restart', 'stop', 'abandon', 'mark-failed', 'executions', 'seed', 'restore', 'help'];

/** Who launched it, as BATCH_JOB_EXECUTION_OWNER records it when --launched-by is not given. */
const DEFAULT_LAUNCHER = 'cli';

type Options = NonNullable<ParseArgsConfig['options']>;

const HELP: Options = { help: { type: 'boolean', short: 'h' } };

/** parseArgs with its errors turned into one-line usage messages naming the command. */
function parse(command: string, args: string[], options: Options, allowPositionals: boolean) {
  try {
    return parseArgs({ args, options: { ...HELP, ...options }, allowPositionals, strict: true });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const quoted = /'([^']+)'/.exec(message)?.[1];
    switch (code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
        throw new UsageError(
          `${command} has no option ${quoted ?? ''}; ` +
            (command === 'run' ? 'job parameters are written name=value' : `see "pass-batch help ${command}"`),
        );
      case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
        throw new UsageError(`${command} takes no argument "${quoted ?? ''}"; see "pass-batch help ${command}"`);
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
        throw new UsageError(`${command}: ${message.split('\n')[0]}`);
      default:
        throw error;
    }
  }
}

function wholeNumber(command: string, option: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text.trim()) || Number(text) < min) {
    throw new UsageError(`${command}: ${option} must be a whole number of at least ${min}; got "${text}"`);
  }
  return Number(text);
}

function executionId(command: string, positionals: string[]): number {
  if (positionals.length === 0) throw new UsageError(`${command} needs an execution id, e.g. "pass-batch ${command} 42" (see "pass-batch executions")`);
  if (positionals.length > 1) throw new UsageError(`${command} takes one execution id; got ${positionals.length} arguments`);
  const text = positionals[0]!;
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`${command}: the execution id must be a positive whole number; got "${text}"`);
  }
  return Number(text);
}

/** `name=value` pairs; the value is everything after the first "=", so it may hold one too. */
function jobParameters(pairs: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UsageError(`run: job parameters are written name=value; got "${pair}"`);
    const name = pair.slice(0, at).trim();
    if (Object.hasOwn(params, name)) throw new UsageError(`run: parameter "${name}" is given twice`);
    params[name] = pair.slice(at + 1);
  }
  return params;
}

function launcher(value: string | undefined): string {
  const name = value?.trim() ?? '';
  if (value !== undefined && !name) throw new UsageError('--launched-by needs a name');
  if (name.length > 100) throw new UsageError('--launched-by is limited to 100 characters');
  return name || DEFAULT_LAUNCHER;
}

export function parseCommand(argv: string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    return { name: 'help', topic: first === 'help' ? rest[0] : undefined };
  }
  if (first.startsWith('-')) throw new UsageError(`expected a command before "${first}"; see "pass-batch help"`);
  // bin/pass-batch.mjs hands `serve` to the HTTP transport before main() sees it (help.ts).
  if (first === 'serve') throw new UsageError('serve is started by the pass-batch command itself (bin/pass-batch.mjs), not through main()');
  if (!(COMMAND_NAMES as readonly string[]).includes(first)) {
    throw new UsageError(`unknown command "${first}"; commands: ${[...COMMAND_NAMES.slice(0, -1), 'serve', 'help'].join(', ')}`);
  }
  const name = first as CommandName;
  switch (name) {
    case 'migrate':
    case 'jobs': {
      const { values } = parse(name, rest, {}, false);
      return values.help ? { name: 'help', topic: name } : { name };
    }
    case 'run': {
      const { values, positionals } = parse(name, rest, { 'launched-by': { type: 'string' } }, true);
      if (values.help) return { name: 'help', topic: name };
      const [job, ...pairs] = positionals;
      if (!job) throw new UsageError('run needs a job name, e.g. "pass-batch run expirePassesJob" (see "pass-batch jobs")');
      return { name, job, params: jobParameters(pairs), launchedBy: launcher(values['launched-by'] as string | undefined) };
    }
    case 'restart': {
      const { values, positionals } = parse(name, rest, { 'launched-by': { type: 'string' } }, true);
      if (values.help) return { name: 'help', topic: name };
      return { name, executionId: executionId(name, positionals), launchedBy: launcher(values['launched-by'] as string | undefined) };
    }
    case 'stop':
    case 'abandon':
    case 'mark-failed': {
      const { values, positionals } = parse(name, rest, {}, true);
      if (values.help) return { name: 'help', topic: name };
      return { name, executionId: executionId(name, positionals) };
    }
    case 'executions': {
      const { values } = parse(
        name,
        rest,
        { job: { type: 'string' }, status: { type: 'string' }, page: { type: 'string' }, json: { type: 'boolean' } },
        false,
      );
      if (values.help) return { name: 'help', topic: name };
      const status = typeof values.status === 'string' ? values.status.trim().toUpperCase() : undefined;
      if (status !== undefined && !(BATCH_STATUSES as readonly string[]).includes(status)) {
        throw new UsageError(`executions: --status must be one of ${BATCH_STATUSES.join(', ')}; got "${values.status}"`);
      }
      return {
        name,
        job: typeof values.job === 'string' ? values.job : undefined,
        status: status as BatchStatus | undefined,
        page: wholeNumber(name, '--page', values.page as string | undefined, 1, 1),
        json: Boolean(values.json),
      };
    }
    case 'seed': {
      const { values } = parse(
        name,
        rest,
        { members: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' }, reset: { type: 'boolean' } },
        false,
      );
      if (values.help) return { name: 'help', topic: name };
      return {
        name,
        members: wholeNumber(name, '--members', values.members as string | undefined, 2000, 1),
        days: wholeNumber(name, '--days', values.days as string | undefined, 30, 1),
        seed: wholeNumber(name, '--seed', values.seed as string | undefined, 42, 0),
        reset: Boolean(values.reset),
      };
    }
    case 'restore': {
      const { values, positionals } = parse(name, rest, { yes: { type: 'boolean' } }, true);
      if (values.help) return { name: 'help', topic: name };
      const [file, ...extra] = positionals;
      if (!file) throw new UsageError('restore needs a backup file, e.g. "pass-batch restore backups/pass-console-20261205T034500Z.sqlite"');
      if (extra.length) throw new UsageError(`restore takes one backup file; got also "${extra[0]}"`);
      return { name, file, yes: Boolean(values.yes) };
    }
    case 'help':
      return { name: 'help', topic: rest[0] };
  }
}
