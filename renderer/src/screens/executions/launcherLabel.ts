// Who launched an execution, in words: a staff member, the scheduler, the command line, or another application.
import type { ExecutionSummary } from '../../../../main/service/contract.ts';
import type { T } from '../../i18n/i18n.ts';

/**
 * Who launched an execution, as the list and the detail say it: a staff member by name; the
 * schedule, with whose: this console's ("Schedule (this console)") or another console's on the
 * same database by the name it goes by, its computer's unless PASS_DESK_NAME names it
 * ('scheduler@front-pc' is "Schedule (another console: front-pc)"; the name alone when the service
 * does not say which); the command line ('cli', its default name) in words; another application's
 * as such.
 */
export function launcherLabel(e: Pick<ExecutionSummary, 'external' | 'launchedBy' | 'scheduledHere'>, t: T): string {
  if (e.external) return t('otherApplication');
  if (e.launchedBy === null) return t('scheduler');
  const desk = /^scheduler@(.+)$/.exec(e.launchedBy);
  if (desk) {
    const scheduler = t('scheduler');
    if (e.scheduledHere === true) return t('scheduledHere', { scheduler });
    if (e.scheduledHere === false) return t('scheduledElsewhere', { scheduler, name: desk[1]! });
    return `${scheduler} (${desk[1]})`;
  }
  if (e.launchedBy === 'cli') return t('commandLine');
  return e.launchedBy;
}
