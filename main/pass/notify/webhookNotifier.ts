// POSTs each notification as JSON to a relay (KakaoTalk, SMS...), with an Idempotency-Key
// header so a resend after a crash between send and mark can be dropped by the receiver.
// node:http / node:https with a keep-alive Agent of its own rather than fetch: measured at 32
// sends in flight, fetch cost 0.46–0.78 ms of CPU per send (client and sink together), the
// plain client 0.14–0.22 ms, and on 2 cores that CPU is what capped the send step.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { NotifierError, type NotificationMessage, type Notifier } from './notifier.ts';

export interface WebhookOptions {
  url: string;
  /** how long one request may take, answer included, before it counts as failed (default 5 s) */
  timeoutMs?: number;
  /** extra headers, e.g. Authorization */
  headers?: Record<string, string>;
  /**
   * connections kept open to the relay at most (default 256): more than the sends one process
   * has in flight (the send step's processConcurrency, 16, per partition a thread runs), so a
   * send never waits for a connection; beyond it sends queue for one.
   */
  maxSockets?: number;
}

/** How much of a refusing answer's body goes into the error (and so into notification.last_error). */
const BODY_EXCERPT = 200;

export function webhookNotifier(options: WebhookOptions): Notifier {
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxSockets = options.maxSockets ?? 256;
  // A URL that is not one fails each send (and lands in last_error), as fetch did, not the step.
  let url: URL | undefined;
  let invalid = '';
  try {
    url = new URL(options.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') invalid = `only http: and https: URLs can be posted to, not ${url.protocol}`;
  } catch (error) {
    invalid = String((error as Error)?.message ?? error);
  }
  const https = url?.protocol === 'https:';
  const agentOptions = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets };
  const agent = https ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  const request = https ? httpsRequest : httpRequest;

  /** One POST; resolves with the answer and its body's text, or rejects with the transport's error. */
  const post = (target: URL, body: Buffer, headers: Record<string, string | number>, deadline: AbortSignal) =>
    new Promise<{ response: IncomingMessage; text: string }>((resolve, reject) => {
      const req = request(target, { method: 'POST', agent, headers, signal: deadline }, (response) => {
        const chunks: Buffer[] = [];
        // Read the body either way, so the kept-alive connection is free for the next send.
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => resolve({ response, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
        response.on('close', () => {
          if (!response.complete) reject(new Error('the answer was cut off'));
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the relay closed just as it was reused: nothing reached the
        // relay, so send once more on a fresh one (Node's documented pattern for reusedSocket).
        if (req.reusedSocket && error.code === 'ECONNRESET' && !deadline.aborted) post(target, body, headers, deadline).then(resolve, reject);
        else reject(error);
      });
      req.end(body);
    });

  return {
    async send(message: NotificationMessage) {
      if (!url || invalid) throw new NotifierError(`Webhook ${options.url}: ${invalid}`);
      const body = Buffer.from(JSON.stringify(message), 'utf8');
      const headers = {
        ...options.headers,
        'content-type': 'application/json; charset=utf-8',
        'content-length': body.length,
        'idempotency-key': message.idempotencyKey,
      };
      const deadline = AbortSignal.timeout(timeoutMs);
      let answer: { response: IncomingMessage; text: string };
      try {
        answer = await post(url, body, headers, deadline);
      } catch (error) {
        const reason = deadline.aborted ? `no answer within ${timeoutMs} ms` : String((error as Error)?.message ?? error);
        throw new NotifierError(`Webhook ${options.url}: ${reason}`, { cause: error });
      }
      const { statusCode = 0, statusMessage = '' } = answer.response;
      if (statusCode < 200 || statusCode > 299) {
        const excerpt = answer.text.slice(0, BODY_EXCERPT);
        throw new NotifierError(`Webhook ${options.url} answered ${statusCode} ${statusMessage}${excerpt ? `: ${excerpt}` : ''}`);
      }
    },
  };
}
