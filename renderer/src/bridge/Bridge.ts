// The renderer's one door to the service: the same interface in the browser (HTTP + SSE against
// `pass-batch serve`) and in the desktop app (IPC through the preload). Screens and stores never
// know which one they hold.
import type {
  ExecutionEvent,
  InputOf,
  Message,
  OperationName,
  OutputOf,
  ServiceErrorBody,
  SessionInfo,
} from '../../../main/service/contract.ts';

export type { ExecutionEvent, InputOf, OperationName, OutputOf, SessionInfo };

export interface ReportContents {
  fileName: string;
  /** the file's text (CSV, UTF-8; a leading BOM removed) */
  text: string;
}

export interface Bridge {
  /** which transport this is: the screens say "download" in a browser, "open" on the desktop */
  readonly kind: 'http' | 'ipc';
  login(username: string, password: string): Promise<SessionInfo>;
  logout(): Promise<void>;
  /** any operation of the contract, by name, as the signed-in staff member */
  call<N extends OperationName>(operation: N, input: InputOf<N>): Promise<OutputOf<N>>;
  /** live execution events; returns the function that unsubscribes */
  subscribe(listener: (event: ExecutionEvent) => void): () => void;
  /** a report file's contents, for the preview table and the download */
  readReport(reportSeq: number): Promise<ReportContents>;
  /** desktop only: opens the report file with the system's app; absent in a browser */
  openReport?(reportSeq: number): Promise<void>;
  /** forget the session without asking the service (it expired) */
  forget(): void;
  /**
   * browser only: whether this page holds a session token at all. Without one the session check
   * is not asked (it could only be refused, a 401 in the browser's console); the desktop's main
   * process keeps the session, so there it is always asked.
   */
  hasSession?(): boolean;
  /**
   * browser only: another tab signed in (true) or out (false), so this one follows; returns the
   * function that stops listening. The desktop keeps one session in its main process.
   */
  onSessionChange?(listener: (signedIn: boolean) => void): () => void;
}

/** Every refusal the service or the transport gives, as the screens show it. */
export class BridgeError extends Error {
  override name = 'BridgeError';
  constructor(
    readonly code: ServiceErrorBody['code'] | 'NETWORK',
    readonly text: Message,
    readonly field?: string,
    readonly status?: number,
  ) {
    super(text.en);
  }

  static from(body: unknown, status?: number): BridgeError {
    const b = body as Partial<ServiceErrorBody> | null;
    if (b && typeof b.code === 'string' && b.message && typeof b.message.ko === 'string') {
      return new BridgeError(b.code, b.message, b.field, status);
    }
    return new BridgeError('INTERNAL', { ko: '처리 중 오류가 발생했습니다.', en: 'Something went wrong.' }, undefined, status);
  }
}

export const NETWORK_ERROR: Message = {
  ko: '서버에 연결할 수 없습니다. 연결을 확인하고 다시 시도하세요.',
  en: 'Cannot reach the server. Check the connection and try again.',
};

/** Strips the BOM Excel-friendly CSV files start with. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
