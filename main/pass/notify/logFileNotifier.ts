// The default notifier: one JSON line per notification in a local file, so a fresh install
// works offline and staff can see what would have been sent.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { NotificationMessage, Notifier } from './notifier.ts';

export function logFileNotifier(path: string): Notifier {
  let ready: Promise<unknown> | undefined;
  return {
    async send(message: NotificationMessage) {
      ready ??= mkdir(dirname(path), { recursive: true });
      await ready;
      // One append per line: O_APPEND keeps lines from several worker threads whole.
      await appendFile(path, JSON.stringify({ at: new Date().toISOString(), ...message }) + '\n', 'utf8');
    },
  };
}
