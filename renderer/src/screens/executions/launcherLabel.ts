// Who launched an execution, in words: a staff member, the scheduler, the command line, or another application.
import type { ExecutionSummary } from '../../../../main/service/contract.ts';
import type { T } from '../../i18n/i18n.ts';

/**
 * Who launched an execution, as the list and the detail say it: a staff member by name; the
 * schedule, with the desk whose scheduler fired it ('scheduler@front-pc' is "Schedule (front-pc)");
 * the command line ('cli', its default name) in words; another application's as such.
 */
export function launcherLabel(e: Pick<ExecutionSummary, 'external' | 'launchedBy'>, t: T): string {
  if (e.external) return t('otherApplication');
  if (e.launchedBy === null) return t('scheduler');
  const desk = /^scheduler@(.+)$/.exec(e.launchedBy);
  if (desk) return `${t('scheduler')} (${desk[1]})`;
  if (e.launchedBy === 'cli') return t('commandLine');
  return e.launchedBy;
}
