// The IPC side of the service: one handler per allow-listed channel. Main keeps each window's
// session (the token never reaches the page), forwards the live execution events to the window
// that signed in, and answers every refusal as { code, message: { ko, en } } data. Every
// handler first checks that the caller is a frame of our own app:// origin.
import { readFile, realpath } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { OperationName, ServiceErrorBody, SessionInfo } from '../service/contract.ts';
import { ServiceError, toServiceError } from '../service/errors.ts';
import { reportFilePath } from '../service/reports.ts';
import type { Service } from '../service/service.ts';
import { INVOKE_CHANNELS, type AppInfo, type EventChannel, type InvokeChannel, type IpcEnvelope } from './channels.ts';

export const EVENTS_CHANNEL: EventChannel = 'service:events';
/** A report larger than this is not sent to the preview (the desktop opens it in its own app). */
export const MAX_REPORT_BYTES = 20 * 1024 * 1024;
/** The report formats the shell hands to the system's default app; nothing executable. */
const OPENABLE_REPORTS = new Set(['.csv', '.xlsx']);

export interface IpcEngine {
  service: Service;
  reportFolder: string;
}

export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle'>;
  /** the engine, once open (handlers wait for it) */
  engine: () => Promise<IpcEngine>;
  /** the sender check: true only for a frame of our own page */
  isTrustedSender: (frameUrl: string | undefined) => boolean;
  appInfo: () => AppInfo;
  /** shell.openPath: resolves with '' on success, else the reason */
  openPath: (path: string) => Promise<string>;
  logError?: (error: unknown, channel: string) => void;
}

type Sender = Pick<WebContents, 'id' | 'send' | 'isDestroyed' | 'once'>;
type Handler = (sender: Sender, payload: unknown) => Promise<unknown>;

interface WindowSession {
  token: string;
  unsubscribe: () => void;
}

const refuse = (code: ServiceErrorBody['code'], ko: string, en: string) => new ServiceError(code, { ko, en });

const FOREIGN_SENDER = refuse('FORBIDDEN', '허용되지 않은 화면에서 온 요청입니다.', 'This request did not come from the console’s own page.');
const badPayload = (en: string) => refuse('BAD_REQUEST', '요청 형식이 올바르지 않습니다.', en);

function record(payload: unknown): Record<string, unknown> {
  if (payload === undefined || payload === null) return {};
  if (typeof payload !== 'object' || Array.isArray(payload)) throw badPayload('The request must be an object.');
  return payload as Record<string, unknown>;
}

function reportSeqOf(payload: unknown): number {
  const { reportSeq } = record(payload);
  if (typeof reportSeq !== 'number' || !Number.isInteger(reportSeq) || reportSeq < 1) throw badPayload('reportSeq must be a whole number of at least 1.');
  return reportSeq;
}

/** True when `child` is `folder` itself or inside it (both already real paths). */
function isInside(folder: string, child: string): boolean {
  return child.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

export interface IpcHandlers {
  /** the sessions main holds, by WebContents id (tests, the tray) */
  readonly sessions: ReadonlyMap<number, WindowSession>;
  /** the handler as registered, for tests: (event, payload) → envelope */
  readonly handlers: ReadonlyMap<InvokeChannel, (event: IpcMainInvokeEvent, payload: unknown) => Promise<IpcEnvelope>>;
  /** signs every window out (quitting) */
  dispose(): Promise<void>;
}

export function registerIpcHandlers(deps: IpcDeps): IpcHandlers {
  const sessions = new Map<number, WindowSession>();
  const watched = new Set<number>();

  const drop = (id: number): WindowSession | undefined => {
    const held = sessions.get(id);
    if (held) {
      held.unsubscribe();
      sessions.delete(id);
    }
    return held;
  };

  /** The window's session as the service sees it now (expired, disabled or signed out: null). */
  const sessionOf = async (service: Service, sender: Sender) => {
    const held = sessions.get(sender.id);
    if (!held) return null;
    const session = await service.authenticate(held.token);
    if (!session) drop(sender.id);
    return session;
  };

  /**
   * Keeps a session the service just opened (sign-in, or the first run's admin) for the window
   * that asked, and answers the staff member without the token, which stays in main.
   */
  const holdSession = async (service: Service, sender: Sender, info: SessionInfo): Promise<SessionInfo> => {
    const session = await service.authenticate(info.token);
    if (!session) throw toServiceError(new Error('a fresh session did not authenticate'));
    // One session per window: signing in again ends the previous one.
    const previous = drop(sender.id);
    if (previous) await service.call(await service.authenticate(previous.token), 'session.logout', {}).catch(() => undefined);
    // Ended by the service when the session ends or changes (a new role, a disabled account).
    const unsubscribe = service.subscribe(session, (event) => {
      if (!sender.isDestroyed()) sender.send(EVENTS_CHANNEL, event);
    });
    sessions.set(sender.id, { token: info.token, unsubscribe });
    if (!watched.has(sender.id)) {
      watched.add(sender.id);
      sender.once('destroyed', () => {
        watched.delete(sender.id);
        const held = drop(sender.id);
        if (held) void service.authenticate(held.token).then((s) => s && service.call(s, 'session.logout', {})).catch(() => undefined);
      });
    }
    return { ...info, token: '' };
  };

  const handlers: Record<InvokeChannel, Handler> = {
    'app:info': async () => deps.appInfo(),

    'service:login': async (sender, payload) => {
      const { service } = await deps.engine();
      return holdSession(service, sender, await service.call(null, 'session.login', record(payload)));
    },

    'service:logout': async (sender) => {
      const { service } = await deps.engine();
      const session = await sessionOf(service, sender);
      drop(sender.id);
      if (session) await service.call(session, 'session.logout', {});
      return { ok: true };
    },

    'service:call': async (sender, payload) => {
      const { operation, input } = record(payload);
      if (typeof operation !== 'string') throw badPayload('operation must be the name of an operation.');
      // Signing in and out go through their own channels, so the token never crosses to the page.
      if (operation === 'session.login' || operation === 'session.logout') {
        throw badPayload(`Use the service:${operation === 'session.login' ? 'login' : 'logout'} channel for ${operation}.`);
      }
      const { service } = await deps.engine();
      // The first run's admin is signed in by the same call: main keeps that session too.
      if (operation === 'setup.createAdmin') return holdSession(service, sender, await service.call(null, 'setup.createAdmin', input ?? {}));
      return service.call(await sessionOf(service, sender), operation as OperationName, input ?? {});
    },

    'service:report': async (sender, payload) => {
      const reportSeq = reportSeqOf(payload);
      const { service } = await deps.engine();
      const file = await service.call(await sessionOf(service, sender), 'reports.file', { id: reportSeq });
      if (!file.exists) throw refuse('NOT_FOUND', '보고서 파일이 없습니다 (옮겨졌거나 지워졌습니다).', 'The report file is gone (moved or deleted).');
      if (file.sizeBytes > MAX_REPORT_BYTES) throw refuse('PAYLOAD_TOO_LARGE', '보고서가 너무 커서 미리 볼 수 없습니다. 열기를 사용하세요.', 'The report is too large to preview; open it instead.');
      return { fileName: file.fileName, text: await readFile(reportFilePath(file), 'utf8') };
    },

    'app:openReport': async (sender, payload) => {
      const reportSeq = reportSeqOf(payload);
      const { service, reportFolder } = await deps.engine();
      // The service checks the role (MANAGER) and hands out only paths the report job recorded.
      const file = await service.call(await sessionOf(service, sender), 'reports.file', { id: reportSeq });
      if (!file.exists) throw refuse('NOT_FOUND', '보고서 파일이 없습니다 (옮겨졌거나 지워졌습니다).', 'The report file is gone (moved or deleted).');
      const folder = await realpath(resolve(reportFolder)).catch(() => null);
      const real = await realpath(resolve(reportFilePath(file))).catch(() => null);
      if (!folder || !real || !isInside(folder, real) || !OPENABLE_REPORTS.has(extname(real).toLowerCase())) {
        throw refuse('FORBIDDEN', '보고서 폴더 밖의 파일은 열 수 없습니다.', 'Only report files inside the report folder can be opened.');
      }
      const failure = await deps.openPath(real);
      if (failure) throw refuse('UNAVAILABLE', `보고서를 열 수 없습니다: ${failure}`, `The report could not be opened: ${failure}`);
      return { ok: true };
    },
  };

  const registered = new Map<InvokeChannel, (event: IpcMainInvokeEvent, payload: unknown) => Promise<IpcEnvelope>>();
  for (const channel of INVOKE_CHANNELS) {
    const run = async (event: IpcMainInvokeEvent, payload: unknown): Promise<IpcEnvelope> => {
      try {
        if (!deps.isTrustedSender(event.senderFrame?.url)) throw FOREIGN_SENDER;
        return { ok: true, value: await handlers[channel](event.sender, payload) };
      } catch (error) {
        const serviceError = toServiceError(error);
        if (serviceError.code === 'INTERNAL') deps.logError?.(error, channel);
        return { ok: false, error: serviceError.toJSON() };
      }
    };
    registered.set(channel, run);
    deps.ipcMain.handle(channel, run);
  }

  return {
    sessions,
    handlers: registered,
    async dispose() {
      const held = [...sessions.keys()].map((id) => drop(id)).filter((s): s is WindowSession => s !== undefined);
      if (held.length === 0) return;
      const { service } = await deps.engine();
      for (const { token } of held) {
        const session = await service.authenticate(token).catch(() => null);
        if (session) await service.call(session, 'session.logout', {}).catch(() => undefined);
      }
    },
  };
}
