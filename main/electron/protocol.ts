// The renderer is served by app://console/..., not file://: a standard, secure scheme gives the
// page a real origin (so the CSP's 'self' means our files only, and IPC senders can be told
// apart), and only regular files under out/renderer/ are ever answered.
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { Protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from './channels.ts';
import { SECURITY_HEADERS } from './security.ts';
import { contentTypeOf } from '../app/contentTypes.ts';


/**
 * Must run before app `ready`: Electron fixes a scheme's privileges at start-up. corsEnabled
 * because Vite's built page loads its module script with `crossorigin` (same origin, so no
 * Access-Control header is ever needed or sent).
 */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } },
  ]);
}

function answer(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' } });
}

/**
 * The file a request names under `root`, as a Response with the CSP; index.html for the
 * screens' own (extension-less) paths; 404 for anything outside `root` or not a regular file.
 */
export async function serveRendererFile(root: string, request: { url: string; method?: string }): Promise<Response> {
  const method = (request.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') return answer(405, 'Method not allowed');
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return answer(400, 'Bad request');
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return answer(404, 'Not found');
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return answer(400, 'Bad request');
  }
  if (path.includes('\0') || path.includes('\\')) return answer(400, 'Bad request');
  const base = await realpath(resolve(root)).catch(() => null);
  if (!base) return answer(404, 'The console has not been built (npm run build).');
  const wanted = path.endsWith('/') ? `${path}index.html` : path;
  const candidates = extname(wanted) ? [wanted] : [wanted, '/index.html'];
  for (const candidate of candidates) {
    const full = resolve(join(base, candidate));
    if (!full.startsWith(base + sep)) continue;
    const real = await realpath(full).catch(() => null);
    if (!real || !real.startsWith(base + sep)) continue;
    const info = await stat(real).catch(() => null);
    if (!info?.isFile()) continue;
    const body = method === 'HEAD' ? null : await readFile(real);
    return new Response(body, {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'content-type': contentTypeOf(real) },
    });
  }
  return answer(404, 'Not found');
}

/** After `ready`: answer app:// from the built renderer. */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(APP_SCHEME, (request) => serveRendererFile(root, request));
}
