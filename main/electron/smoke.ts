// `npm run smoke:desktop` (bin/smoke-desktop.mjs) starts the built app with PASS_SMOKE naming a
// PNG file, on a data folder of its own. Then, once the window has loaded, this drives it the way
// a person at the desk would, through the page's own bridge (window.passConsole: the preload and
// IPC for real): the first-run screen's setup.createAdmin with the demo gym (written by its worker
// thread, which the packaged app runs unpacked from app.asar), expirePassesJob launched and followed
// to its end through the service, a PNG of the window; then the app exits 0, or 1 with the reason.
import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { RUNNING_STATUSES } from '../service/contract.ts';

/** What the smoke needs of the window (a BrowserWindow's webContents). */
export interface SmokeWindow {
  webContents: {
    isLoading(): boolean;
    once(event: 'did-finish-load', listener: () => void): unknown;
    executeJavaScript(code: string, userGesture?: boolean): Promise<unknown>;
    capturePage(): Promise<{ toPNG(): Buffer; isEmpty(): boolean }>;
  };
}

const RUNNING = new Set<string>(RUNNING_STATUSES);

/** One service call as the page makes it: the bridge's invoke, its refusal as a thrown Error. */
function call(window: SmokeWindow, operation: string, input: unknown): Promise<unknown> {
  return window.webContents.executeJavaScript(`window.passConsole.invoke('service:call', ${JSON.stringify({ operation, input })})`, true);
}

export async function runSmoke(window: SmokeWindow, png: string, options: { log?: (line: string) => void; timeoutMs?: number; pollMs?: number } = {}): Promise<void> {
  const log = options.log ?? ((line: string) => console.log(`smoke: ${line}`));
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  if (window.webContents.isLoading()) await new Promise<void>((resolve) => window.webContents.once('did-finish-load', () => resolve()));
  log('the window loaded');

  const status = (await call(window, 'setup.status', {})) as { needsAdmin: boolean };
  if (!status.needsAdmin) throw new Error('the first-run screen was not asked for: the data folder is not new');
  const admin = (await call(window, 'setup.createAdmin', { password: 'smoke-desktop-password-1', gym: 'demo' })) as { username: string; role: string };
  if (admin.role !== 'ADMIN') throw new Error(`the first-run screen made ${admin.username} a ${admin.role}`);
  log(`first run: the demo gym added, ${admin.username} created and signed in`);

  const launched = (await call(window, 'executions.launch', { job: 'expirePassesJob', params: {} })) as { id: number };
  let detail = (await call(window, 'executions.get', { id: launched.id })) as { status: string; exitMessage: string; steps: Array<{ stepName: string; readCount: number; writeCount: number }> };
  while (RUNNING.has(detail.status)) {
    if (Date.now() > deadline) throw new Error(`expirePassesJob (execution ${launched.id}) was still ${detail.status} at the time limit`);
    await sleep(options.pollMs ?? 250);
    detail = (await call(window, 'executions.get', { id: launched.id })) as typeof detail;
  }
  if (detail.status !== 'COMPLETED') throw new Error(`expirePassesJob (execution ${launched.id}) ended ${detail.status}: ${detail.exitMessage}`);
  log(`expirePassesJob #${launched.id} COMPLETED (${detail.steps.map((step) => `${step.stepName} read ${step.readCount} written ${step.writeCount}`).join('; ')})`);

  const image = await window.webContents.capturePage();
  if (image.isEmpty()) throw new Error('the window captured as an empty image');
  await writeFile(png, image.toPNG());
  log(`a picture of the window: ${png}`);
}
