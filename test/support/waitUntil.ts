// The one wait of the tests: ask `check` every `everyMs` until it says yes, or fail naming what
// was awaited once `timeoutMs` has passed.

export interface WaitOptions {
  timeoutMs?: number;
  everyMs?: number;
}

export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, options: WaitOptions = {}): Promise<void> {
  const { timeoutMs = 30_000, everyMs = 20 } = options;
  for (const until = Date.now() + timeoutMs; !(await check()); ) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
