// Any thrown thing as the two-language message the screens show.
import { BridgeError } from '../bridge/Bridge.ts';
import type { Words } from '../i18n/words.ts';

export function messageOf(error: unknown): Words {
  if (error instanceof BridgeError) return error.text;
  return { ko: '처리 중 오류가 발생했습니다.', en: 'Something went wrong.' };
}

export function codeOf(error: unknown): string | null {
  return error instanceof BridgeError ? error.code : null;
}

/**
 * The errors trying again can fix: the server out of reach, unavailable, busy or failing for now
 * (and a thrown thing of unknown kind). A refusal (VALIDATION, INVALID_PARAMETER, NOT_FOUND,
 * FORBIDDEN, CONFLICT…) answers the same however often it is asked, so no screen offers to retry it.
 */
const RETRYABLE: ReadonlySet<string> = new Set(['NETWORK', 'UNAVAILABLE', 'INTERNAL', 'TOO_MANY_REQUESTS']);

export function retryable(code: string | null | undefined): boolean {
  return code === null || code === undefined || RETRYABLE.has(code);
}

/** The usual lifecycle of something a screen loads. */
export type Load<T> = { state: 'idle' } | { state: 'loading'; data?: T } | { state: 'ready'; data: T } | { state: 'error'; error: Words; code: string | null; data?: T };

export const idle = { state: 'idle' } as const;

export async function load<T>(set: (load: Load<T>) => void, previous: Load<T>, run: () => Promise<T>): Promise<T | null> {
  const data = 'data' in previous ? previous.data : undefined;
  set(data === undefined ? { state: 'loading' } : { state: 'loading', data });
  try {
    const result = await run();
    set({ state: 'ready', data: result });
    return result;
  } catch (error) {
    set(data === undefined ? { state: 'error', error: messageOf(error), code: codeOf(error) } : { state: 'error', error: messageOf(error), code: codeOf(error), data });
    return null;
  }
}
