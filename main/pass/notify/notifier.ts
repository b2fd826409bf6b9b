// What every way of telling a member something implements. A send either resolves (the
// receiver took it) or throws; retries, backoff and bookkeeping belong to the job that sends
// (it counts attempts in the notification row), not to the notifier.
import type { NotificationEvent } from '../schema.ts';

export interface NotificationMessage {
  /** `<event>:<target_key>`: the same for every resend of one notification, so the receiver can drop repeats */
  idempotencyKey: string;
  event: NotificationEvent;
  userId: string;
  phone?: string | null;
  text: string;
}

export interface Notifier {
  send(message: NotificationMessage): Promise<void>;
}

/** A send the receiver refused or never answered; the message goes to notification.last_error. */
export class NotifierError extends Error {
  override name = 'NotifierError';
}
