// The status filter of the executions list: any status, or one of the eight.
import type { BatchStatus } from '../../../../main/service/contract.ts';
import { useT } from '../../i18n/i18n.ts';
import { BATCH_STATUS } from '../../i18n/words.ts';

const STATUSES: BatchStatus[] = ['STARTED', 'COMPLETED', 'FAILED', 'STOPPING', 'STOPPED', 'ABANDONED', 'STARTING', 'UNKNOWN'];

export function StatusSelect({ value, onChange }: { value: BatchStatus | ''; onChange: (s: BatchStatus | '') => void }) {
  const { t, pick } = useT();
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as BatchStatus | '')} data-testid="filter-status">
      <option value="">{t('allStatuses')}</option>
      {STATUSES.map((s) => (
        <option key={s} value={s}>
          {pick(BATCH_STATUS[s])}
        </option>
      ))}
    </select>
  );
}
