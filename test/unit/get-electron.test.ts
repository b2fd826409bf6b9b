// bin/get-electron.mjs: `npm start` downloads Electron with Electron's own installer, in a child
// process with a time limit, and tells in a few words why it could not (offline, refused, timed
// out) before it serves the browser console instead. Fake installers stand in for the network.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { downloadProblem, installElectron } from '../../bin/get-electron.mjs';

const dir = mkdtempSync(join(tmpdir(), 'pass-get-electron-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function installer(name: string, body: string): string {
  const file = join(dir, `${name}.cjs`);
  writeFileSync(file, body);
  return file;
}

describe('downloadProblem', () => {
  it.each([
    ['TypeError: fetch failed\n  cause: Error: getaddrinfo ENOTFOUND github.com', false, 'this machine is offline'],
    ['HTTPError: Response code 403 (Forbidden)', false, 'the download was refused'],
    ['RequestError: unable to verify the first certificate', false, 'the download was refused'],
    ['HTTPError: Response code 404 (Not Found)', false, 'there is no Electron download for this platform'],
    ['', true, 'the download timed out'],
  ])('reads %j as "%s"', (output, timedOut, reason) => {
    expect(downloadProblem(output, timedOut)).toBe(reason);
  });

  it('quotes the last line of anything else', () => {
    expect(downloadProblem('Extracting…\nError: EACCES: permission denied, open dist/electron', false)).toBe('its installer failed (Error: EACCES: permission denied, open dist/electron)');
  });
});

describe('installElectron', () => {
  it('says the machine is offline when the installer cannot reach the download', async () => {
    const offline = installer('offline', "console.error('TypeError: fetch failed\\n  [cause]: Error: getaddrinfo EAI_AGAIN github.com'); process.exit(1);");
    const lines: string[] = [];
    expect(await installElectron({ installer: offline, timeoutMs: 30_000, log: (line) => lines.push(line) })).toEqual({ exe: null, reason: 'this machine is offline' });
    expect(lines).toEqual(['Downloading Electron for the desktop app (once; about 100 MB)…']);
  });

  it('stops an installer that runs past its time limit and says it timed out', async () => {
    const stuck = installer('stuck', 'setInterval(() => {}, 1000);');
    // (were it not stopped, this would wait for the test's own time limit and fail)
    expect(await installElectron({ installer: stuck, timeoutMs: 300, log: () => undefined })).toEqual({ exe: null, reason: 'the download timed out' });
  });

  it('does not download where ELECTRON_OVERRIDE_DIST_PATH names the binary to use', async () => {
    const before = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    process.env.ELECTRON_OVERRIDE_DIST_PATH = join(dir, 'elsewhere');
    try {
      const never = installer('never', "require('fs').writeFileSync(" + JSON.stringify(join(dir, 'ran')) + ", '');");
      expect(await installElectron({ installer: never, log: () => undefined })).toEqual({ exe: null, reason: `there is none at ELECTRON_OVERRIDE_DIST_PATH (${join(dir, 'elsewhere')})` });
      expect(existsSync(join(dir, 'ran'))).toBe(false);
    } finally {
      if (before === undefined) delete process.env.ELECTRON_OVERRIDE_DIST_PATH;
      else process.env.ELECTRON_OVERRIDE_DIST_PATH = before;
    }
  });
});
