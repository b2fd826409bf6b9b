// main/batch/retry.ts: the one retry helper (Spring's RetryTemplate) the engine's loops use.
import { describe, expect, it } from 'vitest';
import { exponentialBackoff, retry } from '../../main/batch/retry.ts';

describe('retry', () => {
  it('tries again while the policy says so, then answers', async () => {
    const seen: number[] = [];
    const value = await retry(
      async (attempt) => {
        seen.push(attempt);
        if (attempt < 2) throw new Error('not yet');
        return 'done';
      },
      { retries: 5, retryOn: () => true },
    );
    expect(value).toBe('done');
    expect(seen).toEqual([0, 1, 2]);
  });

  it('throws the last error once its retries are spent: retries + 1 tries in all', async () => {
    let tries = 0;
    const retried: number[] = [];
    await expect(
      retry(
        async () => {
          tries++;
          throw new Error(`try ${tries}`);
        },
        { retries: 3, retryOn: () => true, onRetry: (_error, attempt) => void retried.push(attempt) },
      ),
    ).rejects.toThrow('try 4');
    expect(tries).toBe(4);
    expect(retried).toEqual([0, 1, 2]);
  });

  it('throws at once an error the policy does not retry', async () => {
    let tries = 0;
    await expect(
      retry(
        async () => {
          tries++;
          throw new TypeError('wrong');
        },
        { retries: 3, retryOn: (error) => !(error instanceof TypeError) },
      ),
    ).rejects.toThrow('wrong');
    expect(tries).toBe(1);
  });

  it('waits as the backoff says between tries', async () => {
    const started = Date.now();
    await retry(
      async (attempt) => {
        if (attempt < 2) throw new Error('again');
      },
      { retries: 2, retryOn: () => true, backoff: () => 30 },
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('backs off exponentially, up to a ceiling, with jitter on top', () => {
    expect([0, 1, 2, 3].map(exponentialBackoff(50))).toEqual([50, 100, 200, 400]);
    expect([0, 5, 10].map(exponentialBackoff(50, { maxMs: 2000 }))).toEqual([50, 1600, 2000]);
    const jittered = exponentialBackoff(20, { jitterMs: 20 })(1);
    expect(jittered).toBeGreaterThanOrEqual(40);
    expect(jittered).toBeLessThan(60);
  });
});
