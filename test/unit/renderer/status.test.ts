// The screens' list of running statuses is the engine's, though they may not import it.
import { expect, test } from 'vitest';
import { isRunning as engineIsRunning, BATCH_STATUSES, RUNNING_STATUSES as ENGINE_RUNNING } from '../../../main/batch/status.ts';
import { isRunning, RUNNING_STATUSES } from '../../../renderer/src/lib/status.ts';

test('the screens count as running exactly the statuses the engine does', () => {
  expect([...RUNNING_STATUSES].sort()).toEqual([...ENGINE_RUNNING].sort());
  for (const status of BATCH_STATUSES) expect(isRunning(status), status).toBe(engineIsRunning(status));
});
