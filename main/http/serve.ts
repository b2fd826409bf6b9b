// `pass-batch serve`: the engine, the scheduler and the service behind the HTTP API, headless,
// for an always-on box without a desktop session and for the browser tests. It also serves the
// built renderer (out/renderer) so the console opens in any browser.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openConsole } from '../app/console.ts';
import { startHttpServer } from './server.ts';

const DEFAULT_STATIC = fileURLToPath(new URL('../../out/renderer', import.meta.url));

export interface ServeOptions {
  host: string;
  port: number;
  staticDir?: string;
}

export function parseServeArgs(argv: string[]): ServeOptions {
  const { values } = parseArgs({
    args: argv,
    options: { host: { type: 'string' }, port: { type: 'string' }, static: { type: 'string' } },
    allowPositionals: false,
  });
  const port = values.port === undefined ? Number(process.env.PASS_PORT ?? 5170) : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a whole number from 0 to 65535 (got ${values.port})`);
  const staticDir = values.static ?? (existsSync(DEFAULT_STATIC) ? DEFAULT_STATIC : undefined);
  return { host: values.host ?? process.env.PASS_HOST ?? '127.0.0.1', port, staticDir };
}

/** Starts everything; resolves with a function that shuts it down in order. */
export async function serve(options: ServeOptions, log: (line: string) => void = console.log) {
  // serve never adds demo data by itself: `pass-batch seed` (or `npm start`) does that on purpose.
  const engine = await openConsole({ seedDemo: false, log });
  try {
    if (engine.admin.generatedPassword) {
      log(`First run: created the admin account "admin" with the password ${engine.admin.generatedPassword} (shown once; change it in the console)`);
    }
    const server = await startHttpServer({ service: engine.service, host: options.host, port: options.port, staticDir: options.staticDir, warn: log });
    log(`Pass Console is serving ${server.url}`);
    return {
      url: server.url,
      close: async () => {
        await server.close();
        await engine.close();
      },
    };
  } catch (error) {
    await engine.close();
    throw error;
  }
}

/** The command: runs until SIGINT or SIGTERM; returns the exit code. */
export async function serveCommand(argv: string[]): Promise<number> {
  let options: ServeOptions;
  try {
    options = parseServeArgs(argv);
  } catch (error) {
    console.error(`pass-batch serve: ${(error as Error).message}`);
    return 2;
  }
  const running = await serve(options).catch((error: Error) => {
    console.error(`pass-batch serve: ${error.message}`);
    return null;
  });
  if (!running) return 1;
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log('Stopping: waiting for running executions to reach their end…');
  await running.close();
  return 0;
}
