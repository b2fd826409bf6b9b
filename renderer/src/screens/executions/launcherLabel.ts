// Who launched an execution, in words: a staff member, the scheduler, or another application.
import type { ExecutionSummary } from '../../../../main/service/contract.ts';
import type { T } from '../../i18n/i18n.ts';

/** Who launched an execution, as the list and the detail say it. */
export function launcherLabel(e: Pick<ExecutionSummary, 'external' | 'launchedBy'>, t: T): string {
  return e.external ? t('otherApplication') : (e.launchedBy ?? t('scheduler'));
}
