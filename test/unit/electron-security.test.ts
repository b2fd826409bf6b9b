// What the Electron shell trusts: the external links it lets out (security.ts), its CSP, and
// the app://console protocol that serves the built screens (protocol.ts).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { electron, resetFakeElectron } from '../support/fakeElectron.ts';

// One fake for the file: a module reset (vi.resetModules) loads `electron` again, and gets the same one.
const fake = await vi.hoisted(() => import('../support/fakeElectron.ts'));
vi.mock('electron', () => fake.electron);

beforeEach(resetFakeElectron);

describe('main/electron/security.ts', () => {
  it.each([
    ['https://docs.example.com/help?x=1', true],
    ['https://www.example.co.kr/', true],
    ['http://docs.example.com/', false],
    ['https://user:pw@example.com/', false],
    ['https://example.com:8443/', false],
    ['https://127.0.0.1/', false],
    ['https://[::1]/', false],
    ['https://localhost/', false],
    ['https://intranet/', false],
    ['https://printer.local/', false],
    ['file:///etc/passwd', false],
    ['smb://server/share', false],
    ['ms-msdt:/id', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
    [42, false],
  ])('isVettedExternalUrl(%s) → %s', async (url, vetted) => {
    const { isVettedExternalUrl } = await import('../../main/electron/security.ts');
    expect(isVettedExternalUrl(url)).toBe(vetted);
  });

  it.each([
    ['app://console/index.html', undefined, true],
    ['app://console/#/executions', undefined, true],
    ['app://evil/index.html', undefined, false],
    ['app://user@console/index.html', undefined, false],
    ['file:///work/out/renderer/index.html', undefined, false],
    ['http://localhost:5173/', undefined, false],
    ['http://localhost:5173/', 'http://localhost:5173', true],
    ['http://localhost:5174/', 'http://localhost:5173', false],
    ['https://evil.example.com/', undefined, false],
    ['', undefined, false],
    [undefined, undefined, false],
  ])('isTrustedUrl(%s, dev %s) → %s', async (url, dev, trusted) => {
    const { isTrustedUrl } = await import('../../main/electron/security.ts');
    expect(isTrustedUrl(url, dev)).toBe(trusted);
  });

  it('has a strict CSP: own scripts only, no eval, no inline script, no plugins, no framing', async () => {
    const { CONTENT_SECURITY_POLICY } = await import('../../main/electron/security.ts');
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*|http:|https:/);
  });
});

describe('main/electron/protocol.ts: app://console', () => {
  let root: string;
  let outside: string;
  beforeAll(() => {
    const base = mkdtempSync(join(tmpdir(), 'pass-protocol-'));
    root = join(base, 'renderer');
    outside = join(base, 'secret.txt');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(outside, 'secret');
    symlinkSync(outside, join(root, 'assets', 'link.txt'));
  });
  afterAll(() => rmSync(dirname(root), { recursive: true, force: true }));

  const get = async (url: string, method = 'GET') => {
    const { serveRendererFile } = await import('../../main/electron/protocol.ts');
    return serveRendererFile(root, { url, method });
  };

  it('serves the built files with the CSP and nosniff', async () => {
    const page = await get('app://console/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const { CONTENT_SECURITY_POLICY } = await import('../../main/electron/security.ts');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>console</title>');
    const script = await get('app://console/assets/app.js');
    expect(script.headers.get('content-type')).toMatch(/text\/javascript/);
  });

  it("answers the screens' own paths with index.html", async () => {
    const page = await get('app://console/executions/12');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>console</title>');
  });

  it.each([
    'app://console/../secret.txt',
    'app://console/%2e%2e/secret.txt',
    'app://console/assets/..%2f..%2fsecret.txt',
    'app://console/assets/link.txt',
    'app://console/assets/%00.js',
    'app://console/assets\\..\\..\\secret.txt',
    'app://other/index.html',
    'app://console/missing.js',
  ])('refuses %s', async (url) => {
    const response = await get(url);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.text()).not.toContain('secret');
  });

  it('refuses anything but GET and HEAD', async () => {
    expect((await get('app://console/index.html', 'POST')).status).toBe(405);
    expect((await get('app://console/index.html', 'HEAD')).status).toBe(200);
  });

  it('registers app: as a standard, secure scheme', async () => {
    const { registerAppScheme } = await import('../../main/electron/protocol.ts');
    registerAppScheme(electron.protocol as any);
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
  });
});
