// The preload's `window.passConsole`, typed for the screens. Absent when the same screens
// run in a browser against `pass-batch serve`, which brings a bridge of its own later.
import type { PassConsoleBridge } from '../../main/electron/preload.ts';

declare global {
  interface Window {
    passConsole?: PassConsoleBridge;
  }
}

export function desktopBridge(): PassConsoleBridge | undefined {
  return window.passConsole;
}
