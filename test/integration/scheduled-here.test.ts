// Which console's schedule launched an execution. Every console on a database runs its own
// schedule and signs what it launches `scheduler@<its name>` (its computer's name unless
// PASS_DESK_NAME gives one); the executions list and detail say whether it was this console's
// schedule or another's, so the screens need not show a bare computer name ("vm") nobody knows.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/databases.ts';
import { serviceHarness, slowTestJob, waitForEnd, type ServiceHarness } from '../support/serviceHarness.ts';

describeEachBackend('which console’s schedule launched an execution', (backend) => {
  let h: ServiceHarness;
  const ids: Record<'here' | 'elsewhere' | 'person', number> = { here: 0, elsewhere: 0, person: 0 };
  beforeAll(async () => {
    // the harness's schedule is this console's, named test-desk
    h = await serviceHarness(backend, { scheduler: true, extraJobs: [slowTestJob] });
    const launch = async (ticks: number, launchedBy: string) => (await h.operator.start('slowTestJob', { ticks }, { launchedBy })).execution.id;
    ids.here = await launch(1, 'scheduler@test-desk');
    ids.elsewhere = await launch(2, 'scheduler@front-pc');
    ids.person = await launch(3, 'manager1');
    for (const id of Object.values(ids)) expect(await waitForEnd(h, id)).toBe('COMPLETED');
  });
  afterAll(async () => h?.dispose());

  it('says this console’s schedule launched a run it signed, and another console’s a run signed with another name, in the detail and the list', async () => {
    const get = async (id: number) => h.service.call(h.sessions.MANAGER, 'executions.get', { id });
    expect(await get(ids.here)).toMatchObject({ launchedBy: 'scheduler@test-desk', scheduledHere: true });
    expect(await get(ids.elsewhere)).toMatchObject({ launchedBy: 'scheduler@front-pc', scheduledHere: false });
    expect((await get(ids.person)).scheduledHere).toBeUndefined();

    const { items } = await h.service.call(h.sessions.MANAGER, 'executions.list', { job: 'slowTestJob' });
    const byId = new Map(items.map((e) => [e.id, e]));
    expect(byId.get(ids.here)?.scheduledHere).toBe(true);
    expect(byId.get(ids.elsewhere)?.scheduledHere).toBe(false);
    expect(byId.get(ids.person)?.scheduledHere).toBeUndefined();
  });
});
