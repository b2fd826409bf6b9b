// The renderer's only door into main: a frozen `window.passConsole` with the app's version
// and an invoke() that refuses, before anything crosses IPC, every channel not on the
// allow-list. The window is sandboxed, so this file gets `electron` and nothing else of Node.
import { contextBridge, ipcRenderer } from 'electron';
import { isInvokeChannel, VERSION_ARGUMENT, type InvokeChannel } from './channels.ts';

export interface PassConsoleBridge {
  /** The running app's version, as main knows it. */
  readonly version: string;
  invoke(channel: InvokeChannel, payload?: unknown): Promise<unknown>;
}

// Main passes the version as a command-line switch: a sandboxed preload can't read package.json.
function versionFrom(argv: readonly string[]): string {
  const switchArg = argv.find((arg) => arg.startsWith(VERSION_ARGUMENT));
  return switchArg === undefined ? 'unknown' : switchArg.slice(VERSION_ARGUMENT.length);
}

const bridge: PassConsoleBridge = Object.freeze({
  version: versionFrom(process.argv),
  async invoke(channel: InvokeChannel, payload?: unknown): Promise<unknown> {
    // The type says InvokeChannel, but the page is untrusted: check at run time too.
    if (!isInvokeChannel(channel)) {
      throw new Error(`IPC channel not allowed: ${String(channel)}`);
    }
    return ipcRenderer.invoke(channel, payload);
  },
});

contextBridge.exposeInMainWorld('passConsole', bridge);
