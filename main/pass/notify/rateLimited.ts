// At most `perSecond` sends start per second: each send takes the next free slot, spaced
// 1/perSecond apart, so many sends in flight still reach the relay evenly.
import { sleep } from '../../batch/index.ts';
import type { NotificationMessage, Notifier } from './notifier.ts';

export function rateLimited(notifier: Notifier, perSecond: number): Notifier {
  if (!(perSecond > 0)) return notifier;
  const interval = 1000 / perSecond;
  let nextSlot = 0;
  return {
    async send(message: NotificationMessage) {
      const now = Date.now();
      const slot = Math.max(now, nextSlot);
      nextSlot = slot + interval;
      if (slot > now) await sleep(slot - now);
      await notifier.send(message);
    },
  };
}
