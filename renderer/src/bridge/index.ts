// Picks the bridge for where the screens run: the preload's in Electron, HTTP in a browser.
import type { Bridge } from './Bridge.ts';
import { httpBridge } from './httpBridge.ts';
import { ipcBridge, type PassConsoleIpc } from './ipcBridge.ts';

export * from './Bridge.ts';

let current: Bridge | null = null;

export function bridge(): Bridge {
  if (!current) {
    const ipc = typeof window !== 'undefined' ? (window.passConsole as unknown as PassConsoleIpc | undefined) : undefined;
    current = ipc ? ipcBridge(ipc) : httpBridge();
  }
  return current;
}

/** Tests hand the stores a fake. */
export function setBridge(next: Bridge | null): void {
  current = next;
}
