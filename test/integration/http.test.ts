// The HTTP API over real HTTP on both databases: sign-in, bearer tokens, roles, JSON errors for
// every kind of bad request, the OpenAPI document, the event stream and the static files.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHttpServer, type HttpServer } from '../../main/http/server.ts';
import { describeEachBackend } from '../support/databases.ts';
import { PASSWORDS, serviceHarness, snapshot, USERNAMES, waitForEnd, type ServiceHarness } from '../support/serviceHarness.ts';

/** a grant's start that is never due within the test: 300 days ahead (a start may be at most a year ahead) */
const LATER = new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10);

describeEachBackend('http', (backend) => {
  let h: ServiceHarness;
  let server: HttpServer;
  let staticDir: string;
  let staticRoot: string;
  const tokens: Record<string, string> = {};

  const api = async (method: string, path: string, options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(server.url + path, { method, headers, body });
    const text = await response.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text, headers: response.headers };
  };

  beforeAll(async () => {
    h = await serviceHarness(backend);
    staticRoot = mkdtempSync(join(tmpdir(), 'pass-static-'));
    staticDir = join(staticRoot, 'dist');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Pass Console</title>');
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(staticRoot, 'pass-secret.txt'), 'TOP-SECRET-CONTENT');
    server = await startHttpServer({ service: h.service, staticDir, heartbeatMs: 200 });
    for (const role of ['ADMIN', 'MANAGER', 'FRONT_DESK'] as const) {
      const r = await api('POST', '/api/session', { body: { username: USERNAMES[role], password: PASSWORDS[role] } });
      expect(r.status).toBe(200);
      tokens[role] = r.json.token;
    }
  });
  afterAll(async () => {
    await server?.close();
    await h?.dispose();
    rmSync(staticRoot, { recursive: true, force: true });
  });

  it('binds to loopback and signs in with a bearer token', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const me = await api('GET', '/api/session', { token: tokens.FRONT_DESK });
    expect(me.json).toEqual({ username: USERNAMES.FRONT_DESK, role: 'FRONT_DESK', mustChangePassword: false });
    const wrong = await api('POST', '/api/session', { body: { username: 'admin', password: 'wrong-password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ code: 'LOGIN_FAILED', message: { ko: expect.any(String), en: expect.any(String) } });
  });

  it('answers 401 without a token or with a bad one', async () => {
    for (const token of [undefined, 'made-up-token']) {
      const r = await api('GET', '/api/users?query=kim', { token });
      expect(r.status).toBe(401);
      expect(r.json.code).toBe('UNAUTHENTICATED');
    }
    const malformed = await api('GET', '/api/jobs', { headers: { authorization: 'Basic YWRtaW46eA==' } });
    expect(malformed.status).toBe(401);
  });

  it('carries a front-desk flow: find, grant in bulk, grant now, see the pass', async () => {
    const t = tokens.FRONT_DESK;
    const found = await api('GET', '/api/users?query=M1000003', { token: t });
    expect(found.status).toBe(200);
    expect(found.json.members[0].userId).toBe('M1000003');
    const created = await api('POST', '/api/admin/bulk-passes', { token: t, body: { packageSeq: 5, userGroupId: 'ALL', startedAt: `${LATER}T10:00` } });
    expect(created.status).toBe(200);
    const seq = created.json.bulkPassSeq;
    const listed = await api('GET', '/api/admin/bulk-passes?status=READY', { token: t });
    expect(listed.json.map((g: any) => g.bulkPassSeq)).toContain(seq);
    const granted = await api('POST', `/api/admin/bulk-passes/${seq}/grant-now`, { token: t });
    expect(granted.status).toBe(200);
    expect(granted.json.execution).toMatchObject({ jobName: 'addPassesJob', launchedBy: USERNAMES.FRONT_DESK });
    expect(await waitForEnd(h, granted.json.execution.id)).toBe('COMPLETED');
    const passes = await api('GET', '/api/users/M1000003/passes', { token: t });
    expect(passes.json.passes.some((p: any) => p.bulkPassSeq === seq && p.packageSeq === 5)).toBe(true);
    const cancelled = await api('DELETE', `/api/admin/bulk-passes/${seq}`, { token: t });
    expect(cancelled.status).toBe(409);
    expect(cancelled.json.code).toBe('CONFLICT');
  });

  it('answers 403 for a route above the caller role, and writes nothing', async () => {
    const before = await snapshot(h);
    for (const [method, path, role] of [
      ['POST', '/api/executions/1/restart', 'FRONT_DESK'],
      ['POST', '/api/jobs/expirePassesJob/executions', 'FRONT_DESK'],
      ['GET', '/api/executions', 'FRONT_DESK'],
      ['GET', '/api/admin/statistics?from=2025-01-01&to=2025-01-02&unit=day', 'FRONT_DESK'],
      ['POST', '/api/jobs/expirePassesJob/executions', 'MANAGER'],
      ['GET', '/api/audit', 'MANAGER'],
      ['POST', '/api/rpc/executions.launch', 'FRONT_DESK'],
    ] as const) {
      const r = await api(method, path, { token: tokens[role], body: method === 'POST' ? { params: {} } : undefined });
      expect(r.status, `${role} ${method} ${path}`).toBe(403);
      expect(r.json.code).toBe('FORBIDDEN');
    }
    expect(await snapshot(h)).toEqual(before);
    expect((await api('GET', '/api/executions?job=addPassesJob', { token: tokens.MANAGER })).status).toBe(200);
  });

  it('answers bad input with 4xx JSON naming the field, and writes nothing', async () => {
    const t = tokens.FRONT_DESK;
    const before = await snapshot(h);
    const bad = await api('POST', '/api/admin/bulk-passes', { token: t, body: { packageSeq: 1, userGroupId: 'ALL', startedAt: LATER, count: -5 } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 'VALIDATION', field: 'count' });
    expect(bad.json.message.en).toContain('count');

    const cases: Array<[string, string, { body?: unknown; raw?: string; headers?: Record<string, string> }, number, string]> = [
      ['POST', '/api/admin/bulk-passes', { raw: '{"packageSeq": 1,' }, 400, 'BAD_REQUEST'],
      ['POST', '/api/admin/bulk-passes', { raw: '' }, 400, 'BAD_REQUEST'],
      ['POST', '/api/admin/bulk-passes', { raw: '{"__proto__": {"x": 1}}' }, 400, 'BAD_REQUEST'],
      ['POST', '/api/admin/bulk-passes', { raw: 'packageSeq=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['POST', '/api/admin/bulk-passes', { body: [1, 2, 3] }, 400, 'VALIDATION'],
      ['POST', '/api/admin/bulk-passes', { body: 'text' }, 400, 'VALIDATION'],
      ['DELETE', '/api/admin/bulk-passes/abc', {}, 400, 'VALIDATION'],
      ['DELETE', '/api/admin/bulk-passes/0', {}, 400, 'VALIDATION'],
      ['DELETE', '/api/admin/bulk-passes/99999999', {}, 404, 'NOT_FOUND'],
      ['POST', '/api/admin/bulk-passes/1e3/grant-now', {}, 400, 'VALIDATION'],
      ['GET', '/api/users?query=', {}, 400, 'VALIDATION'],
      ['GET', '/api/users?query=a&query=b', {}, 400, 'VALIDATION'],
      ['GET', '/api/users/NOPE/passes', {}, 404, 'NOT_FOUND'],
      ['GET', '/api/nothing-here', {}, 404, 'NOT_FOUND'],
      ['POST', '/api/rpc/no.such', { body: {} }, 404, 'UNKNOWN_OPERATION'],
    ];
    for (const [method, path, options, status, code] of cases) {
      const r = await api(method, path, { token: t, ...options });
      expect(r.status, `${method} ${path} ${options.raw ?? JSON.stringify(options.body)}`).toBe(status);
      expect(r.json?.code, `${method} ${path}`).toBe(code);
      expect(r.json.message).toEqual({ ko: expect.any(String), en: expect.any(String) });
    }
    const admin = tokens.ADMIN;
    const unknownJob = await api('POST', '/api/jobs/noSuchJob/executions', { token: admin, body: { params: {} } });
    expect([unknownJob.status, unknownJob.json.code]).toEqual([404, 'NO_SUCH_JOB']);
    const badParam = await api('POST', '/api/jobs/addPassesJob/executions', { token: admin, body: { params: { bulkPassSeq: -1 } } });
    expect([badParam.status, badParam.json.code, badParam.json.field]).toEqual([400, 'INVALID_PARAMETER', 'params.bulkPassSeq']);
    const reversed = await api('GET', '/api/admin/statistics?from=2025-02-01&to=2025-01-01&unit=day', { token: admin });
    expect([reversed.status, reversed.json.field]).toEqual([400, 'to']);
    expect(await snapshot(h)).toEqual(before);
  });

  it('refuses an oversized body with 413', async () => {
    const before = await snapshot(h);
    const big = JSON.stringify({ packageSeq: 1, userGroupId: 'ALL', startedAt: LATER, pad: 'x'.repeat(2 * 1024 * 1024) });
    const r = await api('POST', '/api/admin/bulk-passes', { token: tokens.FRONT_DESK, raw: big });
    expect(r.status).toBe(413);
    expect(r.json.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await snapshot(h)).toEqual(before);
  });

  it('publishes an OpenAPI document of every route', async () => {
    const r = await api('GET', '/api/openapi.json');
    expect(r.status).toBe(200);
    expect(r.json.openapi).toBe('3.1.0');
    const paths = Object.keys(r.json.paths);
    for (const p of ['/api/session', '/api/users', '/api/users/{userId}/passes', '/api/admin/bulk-passes', '/api/admin/bulk-passes/{id}', '/api/admin/bulk-passes/{id}/grant-now', '/api/admin/statistics', '/api/jobs', '/api/jobs/{name}/executions', '/api/executions', '/api/executions/{id}', '/api/executions/{id}/restart', '/api/executions/{id}/stop', '/api/executions/{id}/abandon', '/api/reports', '/api/reports/{id}/file', '/api/schedules', '/api/audit', '/api/staff', '/api/events']) {
      expect(paths).toContain(p);
    }
    const create = r.json.paths['/api/admin/bulk-passes'].post;
    expect(create.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['packageSeq', 'userGroupId', 'startedAt']));
    expect(create['x-role']).toBe('FRONT_DESK');
    expect(r.json.paths['/api/admin/statistics'].get.parameters.map((p: any) => p.name)).toEqual(['from', 'to', 'unit']);
  });

  it('streams execution events with live counts to a signed-in client', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/api/events?token=${encodeURIComponent(tokens.ADMIN!)}`, { signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const readUntil = async (predicate: (text: string) => boolean) => {
      const deadline = Date.now() + 20_000;
      while (!predicate(buffer)) {
        if (Date.now() > deadline) throw new Error(`stream never said it; got ${buffer.slice(0, 500)}`);
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    };
    await readUntil((b) => b.includes(': connected'));
    const launched = await api('POST', '/api/jobs/expirePassesJob/executions', { token: tokens.ADMIN, body: { params: { now: '2032-01-01T00:00' } } });
    expect(launched.status).toBe(200);
    const id = launched.json.id;
    await readUntil((b) => b.includes(`"type":"job-finished","executionId":${id}`));
    const events = buffer
      .split('\n\n')
      .filter((block) => block.includes('data: '))
      .map((block) => JSON.parse(block.slice(block.indexOf('data: ') + 6)));
    const mine = events.filter((e) => e.executionId === id);
    expect(mine[0]).toMatchObject({ type: 'job-started', jobName: 'expirePassesJob' });
    expect(mine.some((e) => e.type === 'step-progress' && typeof e.readCount === 'number')).toBe(true);
    expect(mine.at(-1)).toMatchObject({ type: 'job-finished', status: 'COMPLETED' });
    controller.abort();

    const anonymous = await api('GET', '/api/events');
    expect(anonymous.status).toBe(401);
  });

  it('serves the renderer from its folder and nothing outside it', async () => {
    const index = await fetch(`${server.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await index.text()).toContain('Pass Console');
    expect((await fetch(`${server.url}/assets/app.js`)).headers.get('content-type')).toContain('javascript');
    expect(await (await fetch(`${server.url}/executions/12`)).text()).toContain('Pass Console'); // the screens' own paths
    // a screen's path with a trailing slash goes to the path without it (its ./assets would not load)
    const slash = await fetch(`${server.url}/kiosk/?x=1`, { redirect: 'manual' });
    expect([slash.status, slash.headers.get('location')]).toEqual([301, '/kiosk?x=1']);
    expect((await fetch(`${server.url}//evil.example/`, { redirect: 'manual' })).headers.get('location')).toBeNull();
    for (const path of ['/%2e%2e/pass-secret.txt', '/..%2fpass-secret.txt', '/assets/..%2f..%2fpass-secret.txt', '/%00']) {
      const r = await fetch(`${server.url}${path}`);
      expect(r.status, path).toBe(404);
      expect(await r.text()).not.toContain('TOP-SECRET');
    }
  });

  it('refuses a foreign Host name while bound to loopback', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${server.url}/api/openapi.json`);
      const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, headers: { host: 'evil.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});
