// main/electron/smoke.ts and bin/smoke-desktop.mjs. Electron's binary can't be had here, so the
// smoke's steps are driven against a fake window whose page bridge answers like the service, and
// the script's own answer on a machine without Electron is checked for real: exit 2, said so.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runSmoke, type SmokeWindow } from '../../main/electron/smoke.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pass-smoke-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A window whose page answers service calls from `answers`, recording each call. */
function fakeWindow(answers: Record<string, (input: any) => unknown>, options: { loading?: boolean; empty?: boolean } = {}) {
  const calls: Array<{ operation: string; input: unknown }> = [];
  let onLoad: (() => void) | undefined;
  const window: SmokeWindow = {
    webContents: {
      isLoading: () => options.loading ?? false,
      once: (_event, listener) => (onLoad = listener),
      executeJavaScript: async (code) => {
        const match = /^window\.passConsole\.invoke\('service:call', (.*)\)$/.exec(code);
        if (!match) throw new Error(`unexpected script ${code}`);
        const { operation, input } = JSON.parse(match[1]!);
        calls.push({ operation, input });
        const answer = answers[operation];
        if (!answer) throw new Error(`no such operation ${operation}`);
        return answer(input);
      },
      capturePage: async () => ({ toPNG: () => Buffer.from('PNG picture'), isEmpty: () => options.empty ?? false }),
    },
  };
  return { window, calls, load: () => onLoad?.() };
}

const firstRun = (finalStatus = 'COMPLETED') => {
  let polls = 0;
  return {
    'setup.status': () => ({ needsAdmin: true }),
    'setup.createAdmin': () => ({ username: 'admin', role: 'ADMIN', token: '' }),
    'executions.launch': () => ({ id: 41, status: 'STARTING' }),
    'executions.get': () => ({ status: ++polls < 3 ? 'STARTED' : finalStatus, exitMessage: finalStatus === 'COMPLETED' ? '' : 'the disk is full', steps: [{ stepName: 'expirePassesStep', readCount: 9, writeCount: 9 }] }),
  };
};

describe('runSmoke', () => {
  it('waits for the page, creates the admin on the first-run screen with the demo gym, follows expirePassesJob to COMPLETED and writes the window as a PNG', async () => {
    const { window, calls, load } = fakeWindow(firstRun(), { loading: true });
    const png = join(dir, 'ok.png');
    const lines: string[] = [];
    const done = runSmoke(window, png, { log: (line) => lines.push(line), pollMs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toEqual([]);
    load();
    await done;
    expect(calls.map((c) => c.operation)).toEqual(['setup.status', 'setup.createAdmin', 'executions.launch', 'executions.get', 'executions.get', 'executions.get']);
    // the demo gym, chosen as a person trying the app would: its worker thread runs in the built app too
    expect(calls[1]!.input).toEqual({ password: 'smoke-desktop-password-1', gym: 'demo' });
    expect(calls[2]!.input).toEqual({ job: 'expirePassesJob', params: {} });
    expect(readFileSync(png, 'utf8')).toBe('PNG picture');
    expect(lines).toContain('expirePassesJob #41 COMPLETED (expirePassesStep read 9 written 9)');
  });

  it('fails with the reason when the job does not complete, and writes no picture', async () => {
    const { window } = fakeWindow(firstRun('FAILED'));
    await expect(runSmoke(window, join(dir, 'failed.png'), { log: () => undefined, pollMs: 1 })).rejects.toThrow('expirePassesJob (execution 41) ended FAILED: the disk is full');
  });

  it('refuses a data folder that already has staff: the first-run screen must be the one tested', async () => {
    const { window } = fakeWindow({ ...firstRun(), 'setup.status': () => ({ needsAdmin: false }) });
    await expect(runSmoke(window, join(dir, 'old.png'), { log: () => undefined })).rejects.toThrow(/first-run screen was not asked for/);
  });

  it('fails when the window captures as an empty image', async () => {
    const { window } = fakeWindow(firstRun(), { empty: true });
    await expect(runSmoke(window, join(dir, 'empty.png'), { log: () => undefined, pollMs: 1 })).rejects.toThrow('the window captured as an empty image');
  });
});

describe('npm run smoke:desktop without an Electron binary', () => {
  it('exits 2 and says that nothing was tested', () => {
    const run = spawnSync(process.execPath, [join(root, 'bin/smoke-desktop.mjs'), '--no-download'], { cwd: root, encoding: 'utf8', env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'no-electron') }, timeout: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('smoke:desktop: SKIPPED, nothing was tested: no Electron binary in node_modules/electron.\n');
  });
});
