// Electron's security checklist, in one place: the CSP every renderer response carries, which
// URLs count as our own (IPC senders, navigation), which links may leave for the system
// browser, and the hardening every WebContents and the session get. Only main.ts wires these
// to the real objects; tests hand them fakes.
import type { Session, WebContents } from 'electron';
import { APP_HOST, APP_SCHEME } from './channels.ts';

/**
 * The renderer's policy: its own scripts only (no inline script, no eval), inline styles for
 * the charts' style attributes, nothing framed, no plugins, IPC instead of network.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
].join('; ');

/** Headers on every response of the app:// protocol. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
});

/**
 * True for a page of ours: app://console/... always; the electron-vite dev server's origin
 * only when one is given (not packaged, ELECTRON_RENDERER_URL set).
 */
export function isTrustedUrl(url: string | undefined | null, devServerUrl?: string): boolean {
  if (typeof url !== 'string' || url === '') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // WHATWG gives custom schemes an opaque origin ('null'): compare scheme and host instead.
  if (parsed.protocol === `${APP_SCHEME}:`) return parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  if (!devServerUrl) return false;
  try {
    return parsed.origin === new URL(devServerUrl).origin && parsed.origin !== 'null';
  } catch {
    return false;
  }
}

/**
 * A link the system browser may open: https on the default port, a DNS name (no IP address,
 * no localhost, no single-label intranet name), no user name or password in it. Anything else
 * (file:, smb:, custom schemes that start programs, http:) never reaches shell.openExternal.
 */
export function isVettedExternalUrl(url: unknown): url is string {
  if (typeof url !== 'string' || url.length > 2048) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.port !== '' || parsed.username !== '' || parsed.password !== '') return false;
  const host = parsed.hostname.toLowerCase();
  if (!host.includes('.') || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return false;
  if (/^[\d.]+$/.test(host) || host.startsWith('[')) return false; // IPv4 and IPv6 literals
  return true;
}

export interface HardeningOptions {
  /** shell.openExternal, called only with vetted URLs */
  openExternal: (url: string) => unknown;
}

/**
 * Every WebContents: no navigation away from the page (a vetted https link goes to the system
 * browser instead), no redirects off our origin, no new windows, no <webview>.
 */
const hardened = new WeakSet<WebContents>();

export function hardenWebContents(contents: WebContents, options: HardeningOptions): void {
  // Main's window is hardened where it is made and again by 'web-contents-created': once is enough.
  if (hardened.has(contents)) return;
  hardened.add(contents);
  const leave = (url: string) => {
    if (isVettedExternalUrl(url)) void Promise.resolve(options.openExternal(url)).catch(() => undefined);
  };
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    leave(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    leave(url);
    return { action: 'deny' };
  });
}

/** The session: every permission (camera, notifications from the page, geolocation, HID...) refused. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler?.(() => false);
}
