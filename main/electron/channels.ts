// The IPC channels the renderer may invoke, and nothing else: the preload refuses any other
// name before it reaches ipcRenderer, and main registers a handler for each of these.
// A channel joins this list in the same change that gives it a handler in main.

export const INVOKE_CHANNELS = ['app:info'] as const;

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];

export function isInvokeChannel(channel: unknown): channel is InvokeChannel {
  return typeof channel === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(channel);
}

/** What `app:info` answers: enough for an About box and a bug report. */
export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  electron: string;
}

/** The argument main passes each renderer so the sandboxed preload knows the app's version. */
export const VERSION_ARGUMENT = '--pass-console-version=';
