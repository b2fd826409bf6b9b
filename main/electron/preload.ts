// The renderer's only door into main: a frozen `window.passConsole` with the app's version,
// an invoke() that refuses, before anything crosses IPC, every channel not on the allow-list,
// and on() for main's pushes (the live execution events). The window is sandboxed, so this
// file gets `electron` and nothing else of Node; the page never sees an IpcRendererEvent
// (it carries `sender`, a way back into ipcRenderer).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ExecutionEvent } from '../service/contract.ts';
import { isEventChannel, isInvokeChannel, VERSION_ARGUMENT, type EventChannel, type InvokeChannel, type IpcEnvelope } from './channels.ts';

export interface PassConsoleBridge {
  /** The running app's version, as main knows it. */
  readonly version: string;
  /** Resolves with the handler's value; rejects with an Error whose message is the JSON { code, message }. */
  invoke(channel: InvokeChannel, payload?: unknown): Promise<unknown>;
  /** Subscribes to one of main's pushes; returns the function that unsubscribes. */
  on(channel: EventChannel, listener: (event: ExecutionEvent) => void): () => void;
}

// Main passes the version as a command-line switch: a sandboxed preload can't read package.json.
function versionFrom(argv: readonly string[]): string {
  const switchArg = argv.find((arg) => arg.startsWith(VERSION_ARGUMENT));
  return switchArg === undefined ? 'unknown' : switchArg.slice(VERSION_ARGUMENT.length);
}

function isEnvelope(value: unknown): value is IpcEnvelope {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

const bridge: PassConsoleBridge = Object.freeze({
  version: versionFrom(process.argv),
  async invoke(channel: InvokeChannel, payload?: unknown): Promise<unknown> {
    // The type says InvokeChannel, but the page is untrusted: check at run time too.
    if (!isInvokeChannel(channel)) {
      throw new Error(`IPC channel not allowed: ${String(channel)}`);
    }
    const answer: unknown = await ipcRenderer.invoke(channel, payload);
    if (!isEnvelope(answer)) throw new Error(JSON.stringify({ code: 'INTERNAL', message: { ko: '앱 내부 오류입니다.', en: 'Unexpected answer from the app.' } }));
    if (answer.ok) return answer.value;
    // Only `message` survives contextBridge's copy of an Error: the body travels in it.
    throw new Error(JSON.stringify(answer.error));
  },
  on(channel: EventChannel, listener: (event: ExecutionEvent) => void): () => void {
    if (!isEventChannel(channel)) throw new Error(`IPC channel not allowed: ${String(channel)}`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const forward = (_event: IpcRendererEvent, data: ExecutionEvent) => listener(data);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
});

contextBridge.exposeInMainWorld('passConsole', bridge);
