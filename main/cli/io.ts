// Where the command line writes, and what it may be handed instead of the real process
// (tests capture output, pick the job list and database, and fake signals).
import type { JobDefinition } from '../batch/index.ts';

/** Anything with `write(text)`: process.stdout, a file stream, a test's collector. */
export interface TextSink {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Where SIGINT comes from: the process, or a test's EventEmitter. */
export interface SignalSource {
  on(signal: 'SIGINT', listener: () => void): unknown;
  off(signal: 'SIGINT', listener: () => void): unknown;
}

export interface CliDeps {
  /** default: the pass jobs openRuntime knows */
  jobs?: JobDefinition<any>[];
  stdout?: TextSink;
  stderr?: TextSink;
  /** default: PASS_DB_URL, else the SQLite file in the user's data folder */
  dbUrl?: string;
  /** draw progress bars (default: whether stdout is a terminal) */
  isTTY?: boolean;
  signals?: SignalSource;
  /** how a second Ctrl-C leaves at once (default process.exit) */
  exit?: (code: number) => void;
}

/** The resolved deps every command works with. */
export interface Cli {
  out: TextSink;
  err: TextSink;
  isTTY: boolean;
  jobs: JobDefinition<any>[] | undefined;
  dbUrl: string | undefined;
  timeZone: string;
  signals: SignalSource;
  exit: (code: number) => void;
  /** one line on stdout */
  print(line?: string): void;
}

const guarded = new WeakMap<NodeJS.WriteStream, TextSink>();

/**
 * The process's stdout or stderr as the command line writes to it: once the reader has gone
 * (`pass-batch executions | head` after head's tenth line) the rest is dropped, where Node would
 * end the process with an EPIPE stack trace. The command itself goes on to its end and its own
 * exit code (a run still finishes its execution and records it).
 */
export function quietWhenClosed(stream: NodeJS.WriteStream): TextSink {
  let sink = guarded.get(stream);
  if (sink) return sink;
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    closed = true;
  });
  sink = {
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    write: (text: string) => (closed ? false : stream.write(text)),
  };
  guarded.set(stream, sink);
  return sink;
}

export function resolveCli(deps: CliDeps, timeZone: string): Cli {
  const out = deps.stdout ?? quietWhenClosed(process.stdout);
  return {
    out,
    err: deps.stderr ?? quietWhenClosed(process.stderr),
    isTTY: deps.isTTY ?? Boolean(out.isTTY),
    jobs: deps.jobs,
    dbUrl: deps.dbUrl,
    timeZone,
    signals: deps.signals ?? process,
    exit: deps.exit ?? ((code) => process.exit(code)),
    print: (line = '') => void out.write(line + '\n'),
  };
}
