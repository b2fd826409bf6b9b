// The IPC channels between the renderer and main, and nothing else: the preload refuses any
// other name before it reaches ipcRenderer, and main registers a handler for each invoke
// channel. A channel joins these lists in the same change that gives it a handler in main.
// The renderer's side is renderer/src/bridge/ipcBridge.ts, which imports nothing from here (the
// screens may import only the service contract's types): it states what it needs of the preload
// itself, and test/unit/preload-bridge-types.test.ts checks the preload gives it.
import type { ServiceErrorBody } from '../service/contract.ts';

/** renderer → main, answered once (ipcRenderer.invoke / ipcMain.handle). */
export const INVOKE_CHANNELS = [
  'service:login',
  'service:call',
  'service:logout',
  'service:report',
  'app:info',
  'app:openReport',
] as const;

/** main → renderer pushes (webContents.send), which the page subscribes to through the preload. */
export const EVENT_CHANNELS = ['service:events'] as const;

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];
export type EventChannel = (typeof EVENT_CHANNELS)[number];

// `includes` on a frozen list of literals: no prototype lookups ('__proto__', 'toString').
export function isInvokeChannel(channel: unknown): channel is InvokeChannel {
  return typeof channel === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(channel);
}

export function isEventChannel(channel: unknown): channel is EventChannel {
  return typeof channel === 'string' && (EVENT_CHANNELS as readonly string[]).includes(channel);
}

/**
 * How every handler answers across IPC: a refusal is data ({ code, message: { ko, en } }),
 * never a thrown Error, so no stack trace is built for or logged about it. The preload turns
 * `ok: false` into a rejected promise whose message is the JSON body, which the renderer's
 * bridge parses (renderer/src/bridge/ipcBridge.ts errorFromIpc).
 */
export type IpcEnvelope<T = unknown> = { ok: true; value: T } | { ok: false; error: ServiceErrorBody };

/** What `app:info` answers: enough for an About box and a bug report. */
export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  electron: string;
}

/** The argument main passes each renderer so the sandboxed preload knows the app's version. */
export const VERSION_ARGUMENT = '--pass-console-version=';

/**
 * The custom protocol the renderer is served from (never file://): app://console/index.html.
 * Registered as standard and secure before `ready`; every IPC sender must be a frame of it.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
