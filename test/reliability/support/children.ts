// Child processes for the reliability tests: started through bin/run-ts.mjs, output collected,
// killed with SIGKILL on request, never left behind.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  /** the JSON lines the child printed */
  lines: Array<Record<string, any>>;
  ms: number;
}

const alive = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});

export interface ChildHandle {
  child: ChildProcess;
  done: Promise<ChildResult>;
  kill(): void;
}

export function startChild(entry: string, args: string[], env: Record<string, string | undefined> = {}): ChildHandle {
  const started = Date.now();
  const child = spawn(process.execPath, ['bin/run-ts.mjs', entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined)) });
  alive.add(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (out += d));
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      alive.delete(child);
      const lines = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as Record<string, any>];
          } catch {
            return [];
          }
        });
      resolve({ code, signal, out, lines, ms: Date.now() - started });
    });
  });
  return {
    child,
    done,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
