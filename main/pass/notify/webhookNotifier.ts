// POSTs each notification as JSON to a relay (KakaoTalk, SMS...), with an Idempotency-Key
// header so a resend after a crash between send and mark can be dropped by the receiver.
import { NotifierError, type NotificationMessage, type Notifier } from './notifier.ts';

export interface WebhookOptions {
  url: string;
  /** how long one request may take before it counts as failed (default 5 s) */
  timeoutMs?: number;
  /** extra headers, e.g. Authorization */
  headers?: Record<string, string>;
}

export function webhookNotifier(options: WebhookOptions): Notifier {
  const timeoutMs = options.timeoutMs ?? 5000;
  return {
    async send(message: NotificationMessage) {
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: 'POST',
          headers: {
            ...options.headers,
            'content-type': 'application/json; charset=utf-8',
            'idempotency-key': message.idempotencyKey,
          },
          body: JSON.stringify(message),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const reason = (error as Error)?.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : String((error as Error)?.cause ?? (error as Error)?.message ?? error);
        throw new NotifierError(`Webhook ${options.url}: ${reason}`, { cause: error });
      }
      // Read the body either way, so the kept-alive connection is free for the next send.
      const body = await response.text().catch(() => '');
      if (!response.ok) {
        throw new NotifierError(`Webhook ${options.url} answered ${response.status} ${response.statusText}${body ? `: ${body.slice(0, 200)}` : ''}`);
      }
    },
  };
}
