// A bridge for the store and component tests: answers from a table of handlers, records calls,
// and lets the test push execution events.
import type { Bridge, ExecutionEvent } from '../../../renderer/src/bridge/Bridge.ts';
import { BridgeError } from '../../../renderer/src/bridge/Bridge.ts';

export type Handlers = Record<string, (input: any) => unknown>;

export function fakeBridge(handlers: Handlers): Bridge & { calls: { operation: string; input: any }[]; emit(event: ExecutionEvent): void } {
  const listeners = new Set<(event: ExecutionEvent) => void>();
  const calls: { operation: string; input: any }[] = [];
  return {
    kind: 'http',
    calls,
    emit: (event) => listeners.forEach((l) => l(event)),
    async login(username) {
      if (username === 'nobody') throw new BridgeError('LOGIN_FAILED', { ko: '아이디 또는 비밀번호가 틀립니다.', en: 'Wrong username or password.' });
      return { token: 't', username, role: username === 'admin' ? 'ADMIN' : username === 'desk' ? 'FRONT_DESK' : 'MANAGER', expiresAt: '2099-01-01T00:00:00Z', mustChangePassword: false };
    },
    async logout() {},
    forget() {},
    async call(operation, input) {
      calls.push({ operation, input });
      const handler = handlers[operation];
      if (!handler) throw new BridgeError('FORBIDDEN', { ko: '권한이 없습니다.', en: 'Not allowed.' }, undefined, 403);
      return (await handler(input)) as never;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async readReport() {
      return { fileName: 'r.csv', text: 'a,b\n1,2' };
    },
  };
}

export const summary = (id: number, extra: Record<string, unknown> = {}) => ({
  id,
  jobName: 'makeStatisticsJob',
  status: 'COMPLETED',
  exitCode: 'COMPLETED',
  exitMessage: '',
  // one a minute from 2026-11-13T00:00Z: the higher the id, the newer
  createTime: new Date(Date.UTC(2026, 10, 13) + id * 60_000).toISOString(),
  startTime: new Date(Date.UTC(2026, 10, 13) + id * 60_000).toISOString(),
  endTime: new Date(Date.UTC(2026, 10, 13) + id * 60_000 + 1000).toISOString(),
  parameters: { rerun: 0 },
  launchedBy: 'admin',
  ...extra,
});
