// The HTTP transport (`pass-batch serve`, integrations, the screens in a browser): each route of
// routes.ts becomes one service.call with the caller's bearer token, plus sign-in, a stream of
// execution events (SSE), the OpenAPI document and, when given, the built renderer. Every
// refusal is JSON { code, message: { ko, en } } with a 4xx status; bad input is never a 500.
import { isIP } from 'node:net';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { OperationName, ReportFile } from '../service/contract.ts';
import { ServiceError, toServiceError, type ServiceErrorCode } from '../service/errors.ts';
import { reportFilePath } from '../service/reports.ts';
import type { Service, Session } from '../service/service.ts';
import { openApiDocument } from './openapi.ts';
import { inputOf, ROUTES, type Route } from './routes.ts';
import { findStaticFile, STATIC_CSP } from './staticFiles.ts';

export interface HttpServerOptions {
  service: Service;
  /** default 127.0.0.1; anything else exposes the console to the network and says so */
  host?: string;
  /** default 0: any free port */
  port?: number;
  /** the built renderer to serve at / */
  staticDir?: string;
  /** request bodies larger than this are refused with 413 (default 64 KiB) */
  bodyLimit?: number;
  /** where the exposure warning and unexpected errors go (default console.warn / console.error) */
  warn?: (message: string) => void;
  logError?: (error: unknown) => void;
  /** SSE keep-alive and session re-check interval (default 15 s) */
  heartbeatMs?: number;
}

export interface HttpServer {
  url: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || (isIP(host) === 4 && host.startsWith('127.'));
}

function errorBody(code: ServiceErrorCode, ko: string, en: string) {
  return new ServiceError(code, { ko, en });
}

/** Fastify's own refusals (body too large, bad JSON, wrong media type) in our shape. */
function transportError(error: { statusCode?: number; code?: string; message?: string }): ServiceError {
  const status = error.statusCode ?? 500;
  if (status === 413) return errorBody('PAYLOAD_TOO_LARGE', '요청 본문이 너무 큽니다.', 'The request body is too large.');
  if (status === 415) return errorBody('UNSUPPORTED_MEDIA_TYPE', '본문은 JSON(application/json)이어야 합니다.', 'The body must be JSON (application/json).');
  if (status >= 400 && status < 500) {
    const json = /JSON/i.test(`${error.code} ${error.message}`);
    return json
      ? errorBody('BAD_REQUEST', '본문이 올바른 JSON이 아닙니다.', `The body is not valid JSON (${String(error.message).replace(/^FST_\w+: /, '').slice(0, 200)}).`)
      : errorBody('BAD_REQUEST', '요청이 올바르지 않습니다.', `Bad request: ${String(error.message).replace(/^FST_\w+: /, '').slice(0, 200)}`);
  }
  return toServiceError(error);
}

function bearer(request: FastifyRequest, allowQuery = false): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    return match ? match[1]! : null;
  }
  if (allowQuery) {
    const token = (request.query as Record<string, unknown> | undefined)?.token;
    if (typeof token === 'string') return token;
  }
  return null;
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { service } = options;
  const host = options.host ?? '127.0.0.1';
  const warn = options.warn ?? ((m: string) => console.warn(m));
  const logError = options.logError ?? ((e: unknown) => console.error(e));
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const loopbackOnly = isLoopback(host);

  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    forceCloseConnections: true,
    return503OnClosing: true,
    // Query strings of the API are flat: ?query=kim&page=2; repeated keys become arrays the schemas refuse.
    routerOptions: { maxParamLength: 200 },
    // Errors the router raises before any route runs (a malformed URL, a path segment over 200
    // characters) are answered in the API's own shape too, never echoing the path back.
    frameworkErrors: (error, _request, reply) => {
      const tooLong = (error as { code?: string }).code === 'FST_ERR_MAX_PARAM_LENGTH';
      const refusal = tooLong
        ? errorBody('VALIDATION', '주소의 한 부분이 너무 깁니다 (200자까지).', 'A part of the address is too long (200 characters at most).')
        : errorBody('VALIDATION', '주소를 읽을 수 없습니다.', 'The address could not be read.');
      void (reply as FastifyReply).status(tooLong ? 414 : 400).type("application/json; charset=utf-8").send(refusal.toJSON());
    },
  });
  const streams = new Set<() => void>();

  const session = async (request: FastifyRequest, allowQuery = false): Promise<Session | null> => {
    const token = bearer(request, allowQuery);
    return token ? service.authenticate(token) : null;
  };

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    // Bound to loopback, answer only to loopback names: a web page cannot reach the console
    // through a DNS name rebound to 127.0.0.1.
    if (loopbackOnly) {
      const name = String(request.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase();
      if (!isLoopback(name)) {
        throw errorBody('FORBIDDEN', '허용되지 않은 호스트 이름입니다.', `Host "${name.slice(0, 100)}" is not served here; use 127.0.0.1 or localhost.`);
      }
    }
  });

  app.setErrorHandler((error, _request, reply) => {
    const serviceError = error instanceof ServiceError ? error : transportError(error as { statusCode?: number });
    if (serviceError.code === 'INTERNAL') logError(error);
    void reply.status(serviceError.status).type('application/json; charset=utf-8').send(serviceError.toJSON());
  });

  const handle = async (route: Route, request: FastifyRequest, reply: FastifyReply) => {
    const input = inputOf(route, { params: request.params, query: request.query, body: request.body });
    const result = await service.call(await session(request), route.operation, input, { address: request.ip });
    if (!route.download) return reply.type('application/json; charset=utf-8').send(result);
    const file = result as ReportFile;
    if (!file.exists) throw errorBody('NOT_FOUND', '보고서 파일이 없습니다 (옮겨졌거나 지워졌습니다).', 'The report file is gone (moved or deleted).');
    const { createReadStream } = await import('node:fs');
    return reply
      .type(file.fileName.toLowerCase().endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/octet-stream')
      .header('content-disposition', `attachment; filename="${file.fileName.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
      .header('content-length', file.sizeBytes)
      .send(createReadStream(reportFilePath(file)));
  };

  for (const route of ROUTES) {
    app.route({ method: route.method, url: route.path, ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}), handler: (request, reply) => handle(route, request, reply) });
  }

  // The renderer's bridge: any operation by name, the same checks as every route.
  const rpc = async (name: OperationName, request: FastifyRequest, reply: FastifyReply) => {
    const result = await service.call(await session(request), name, request.body ?? {}, { address: request.ip });
    return reply.type('application/json; charset=utf-8').send(result);
  };
  app.post('/api/rpc/:operation', (request, reply) => rpc((request.params as { operation: string }).operation as OperationName, request, reply));
  // An operation whose route takes a larger body (an upload) takes it through the bridge too, and only it.
  for (const route of ROUTES.filter((r) => r.bodyLimit)) {
    app.post(`/api/rpc/${route.operation}`, { bodyLimit: route.bodyLimit }, (request, reply) => rpc(route.operation, request, reply));
  }

  app.get('/api/openapi.json', async (_request, reply) => reply.type('application/json; charset=utf-8').send(openApiDocument()));

  app.get('/api/events', async (request, reply) => {
    const token = bearer(request, true);
    const caller = token ? await service.authenticate(token) : null;
    if (!caller || !token) throw errorBody('UNAUTHENTICATED', '로그인이 필요합니다.', 'Sign in first (send the token as a bearer header or ?token=).');
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    raw.write('retry: 3000\n: connected\n\n');
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      unsubscribe();
      clearInterval(timer);
      streams.delete(end);
      raw.end();
    };
    // The service ends the subscription when the session ends or changes (sign-out, a new role,
    // a disabled account): the stream closes then, and the browser reconnects as what it now is.
    const unsubscribe = service.subscribe(
      caller,
      (event) => {
        if (!ended) raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      },
      () => end(),
    );
    // Keep proxies from closing an idle stream, and end it when the session does.
    const timer = setInterval(() => {
      void service.authenticate(token).then((still) => (still ? raw.write(': ping\n\n') : end()), end);
    }, heartbeatMs);
    timer.unref();
    streams.add(end);
    request.raw.on('close', end);
  });

  app.setNotFoundHandler(async (request, reply) => {
    if (options.staticDir && (request.method === 'GET' || request.method === 'HEAD') && !request.url.startsWith('/api')) {
      // A screen's path with a slash after it (/kiosk/) would load index.html whose ./assets then
      // resolve under /kiosk/assets: send it to the path without the slash. One plain segment
      // only, so '//evil.example/' never becomes a redirect to another site.
      const [path, query] = request.url.split(/\?(.*)/s, 2) as [string, string | undefined];
      if (/^\/[A-Za-z0-9_-]+\/$/.test(path)) return reply.redirect(`${path.slice(0, -1)}${query ? `?${query}` : ''}`, 301);
      const file = await findStaticFile(options.staticDir, request.url);
      if (file) {
        return reply.type(file.type).header('content-security-policy', STATIC_CSP).header('content-length', file.size).send(request.method === 'HEAD' ? '' : file.stream());
      }
    }
    throw errorBody('NOT_FOUND', '그런 주소가 없습니다.', `There is no ${request.method} ${request.url.split('?')[0]!.slice(0, 200)}.`);
  });

  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });

  if (!loopbackOnly) {
    warn(
      `Warning: the console API listens on ${host}, reachable from other computers. Anyone who can reach it can try to sign in; ` +
        'use strong staff passwords and put it behind a firewall or a TLS proxy.',
    );
  }
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${shown}:${port}`,
    close: () => app.close(),
  };
}
