// The bridge in the desktop app: the same interface over the preload's window.passConsole.
// Main keeps the session (the token never reaches the page); the channels it must answer:
//   'service:login'  { username, password }        → SessionInfo whose token is always ''
//   'service:logout' {}                            → { ok: true }
//   'service:call'   { operation, input }          → the operation's output (setup.createAdmin's
//                                                   SessionInfo with token '', as at sign-in), or
//                                                   throws an Error whose message is JSON ServiceErrorBody
//   'service:report' { reportSeq }                 → { fileName, text }
//   'app:openReport' { reportSeq }                 → { ok: true } (the system app opens the file)
//   'service:events' — an event channel: passConsole.on('service:events', listener) → unsubscribe
import { BridgeError, withoutBom, type Bridge, type ExecutionEvent, type SessionInfo } from './Bridge.ts';

/**
 * What the renderer needs of the preload's window.passConsole (main/electron/preload.ts
 * PassConsoleBridge, which test/unit/preload-bridge-types.test.ts checks gives it): the screens
 * import no type from main/ but the service contract's.
 */
export interface PassConsoleIpc {
  readonly version: string;
  invoke(channel: string, payload?: unknown): Promise<unknown>;
  /** subscribes to a main → renderer channel; returns the function that unsubscribes (the preload always has it; a test's fake may not) */
  on?(channel: 'service:events', listener: (event: ExecutionEvent) => void): () => void;
}

declare global {
  interface Window {
    passConsole?: PassConsoleIpc;
  }
}

/** Electron wraps a handler's throw as "Error invoking remote method 'x': Error: <message>". */
export function errorFromIpc(error: unknown): BridgeError {
  const message = error instanceof Error ? error.message : String(error);
  const start = message.indexOf('{');
  if (start >= 0) {
    try {
      return BridgeError.from(JSON.parse(message.slice(start)));
    } catch {
      // not ours
    }
  }
  return BridgeError.from(null);
}

export function ipcBridge(ipc: PassConsoleIpc): Bridge {
  const invoke = async <T,>(channel: string, payload: unknown): Promise<T> => {
    try {
      return (await ipc.invoke(channel, payload)) as T;
    } catch (error) {
      throw errorFromIpc(error);
    }
  };
  return {
    kind: 'ipc',
    login: (username, password) => invoke<SessionInfo>('service:login', { username, password }),
    logout: async () => {
      await invoke('service:logout', {});
    },
    forget: () => undefined,
    call: (operation, input) => invoke('service:call', { operation, input }),
    subscribe: (listener) => ipc.on?.('service:events', listener) ?? (() => undefined),
    openReport: async (reportSeq) => {
      await invoke('app:openReport', { reportSeq });
    },
    readReport: async (reportSeq) => {
      const file = await invoke<{ fileName: string; text: string }>('service:report', { reportSeq });
      return { fileName: file.fileName, text: withoutBom(file.text) };
    },
  };
}
