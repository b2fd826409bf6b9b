// The screens may import no type from main/ but the service contract's (eslint.config.js), so
// the renderer states what it needs of window.passConsole itself (PassConsoleIpc). This checks,
// when `npm test` type-checks, that the preload's real bridge still gives it that.
import { expectTypeOf, test } from 'vitest';
import type { PassConsoleBridge } from '../../main/electron/preload.ts';
import type { PassConsoleIpc } from '../../renderer/src/bridge/ipcBridge.ts';

test("the preload's window.passConsole is what the renderer's IPC bridge expects of it", () => {
  expectTypeOf<PassConsoleBridge>().toExtend<PassConsoleIpc>();
  expectTypeOf<PassConsoleBridge['invoke']>().parameter(0).toExtend<string>();
});
