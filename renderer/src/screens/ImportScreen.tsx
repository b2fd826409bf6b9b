// 회원 가져오기: pick the old program's member file, see its first rows and how its columns were
// read, check every row with a dry run, then import, with the live progress of the run and its
// outcome: counts, the first problems, and the rejects file to fix and import again.
import type { ImportField, ImportPreview, ImportStatus } from '../../../main/service/contract.ts';
import { Empty, ErrorState, Loading, PageHeader, ProgressBar, StatusBadge } from '../components/common.tsx';
import { useT } from '../i18n/i18n.ts';
import type { WordKey } from '../i18n/words.ts';
import { formatNumber, progressOf } from '../lib/format.ts';
import { useImports } from '../stores/imports.ts';
import { useUi } from '../stores/ui.ts';

const FIELD_WORD: Record<ImportField, WordKey> = {
  id: 'importField_id',
  name: 'importField_name',
  phone: 'importField_phone',
  group: 'importField_group',
  package: 'importField_package',
  remaining: 'importField_remaining',
  start: 'importField_start',
  end: 'importField_end',
};

export function ImportScreen() {
  const { t } = useT();
  const toast = useUi((s) => s.toast);
  const { upload, picked, preview, choose, reset } = useImports();

  const pick = async (file: File | undefined) => {
    if (!file) return;
    const outcome = await choose(file);
    if (!outcome.ok) toast('error', outcome.error);
  };

  return (
    <div className="page">
      <PageHeader title={t('navImports')} />
      <section className="card form" aria-labelledby="import-file-heading">
        <h2 id="import-file-heading">{t('importFile')}</h2>
        <p className="field-hint">{t('importIntro')}</p>
        <input
          type="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          aria-label={t('importFile')}
          data-testid="import-file"
          onChange={(e) => {
            void pick(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        {upload.state === 'loading' && <p aria-live="polite">{t('importUploading')}</p>}
        {upload.state === 'ready' && (
          <p className="field-hint" data-testid="import-uploaded">
            {picked ?? upload.data.fileName} ·{' '}
            <button type="button" className="btn btn-ghost btn-small" onClick={reset}>
              {t('importAnother')}
            </button>
          </p>
        )}
      </section>
      {preview.state === 'loading' && <Loading />}
      {preview.state === 'error' && <ErrorState error={preview.error} />}
      {preview.state === 'ready' && <Preview preview={preview.data} />}
      {preview.state === 'ready' && !preview.data.problem && <RunCard />}
    </div>
  );
}

function Preview({ preview }: { preview: ImportPreview }) {
  const { t, pick, lang } = useT();
  return (
    <section className="card" aria-labelledby="import-preview-heading" data-testid="import-preview">
      <div className="card-head">
        <h2 id="import-preview-heading">{t('importMapping')}</h2>
        <span className="field-hint">
          {preview.encoding ? `${t('importEncoding')}: ${preview.encoding === 'cp949' ? 'CP949 (EUC-KR)' : preview.encoding === 'utf-8-bom' ? 'UTF-8 (BOM)' : 'UTF-8'}` : 'Excel (.xlsx)'}
          {preview.rowEstimate !== null && ` · ${t('importRowsAbout', { n: formatNumber(preview.rowEstimate, lang) })}`}
        </span>
      </div>
      {preview.problem && (
        <p className="field-error" role="alert" data-testid="import-header-problem">
          {pick(preview.problem)}
        </p>
      )}
      <table className="table" data-testid="import-mapping">
        <thead>
          <tr>
            <th scope="col">{t('importField')}</th>
            <th scope="col">{t('importColumn')}</th>
          </tr>
        </thead>
        <tbody>
          {preview.mapping.map((m) => (
            <tr key={m.field} data-field={m.field}>
              <td>{t(FIELD_WORD[m.field])}</td>
              <td>{m.header ?? <span className="muted">{t('importNoColumn')}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('importFirstRows', { n: preview.rows.length })}</h3>
      {preview.rows.length === 0 ? (
        <Empty>–</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="import-rows">
            <thead>
              <tr>
                <th scope="col">{t('importRowNo')}</th>
                {preview.header.map((h, i) => (
                  <th scope="col" key={i}>
                    {h}
                  </th>
                ))}
                <th scope="col">{t('importRowProblem')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((r) => (
                <tr key={r.row} data-problem={r.problem ? 'yes' : undefined}>
                  <td>{r.row}</td>
                  {preview.header.map((_h, i) => (
                    <td key={i}>{r.cells[i] ?? ''}</td>
                  ))}
                  <td>{r.problem ? pick(r.problem) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RunCard() {
  const { t, lang } = useT();
  const toast = useUi((s) => s.toast);
  const { run, outcome, checked, start } = useImports();
  const running = run !== null && !run.finished;
  const go = async (dryRun: boolean) => {
    const result = await start(dryRun, lang);
    if (!result.ok) toast('error', result.error);
  };
  const progress = run ? progressOf(run.read, run.expected, run.itemsPerSecond) : null;
  return (
    <section className="card" aria-labelledby="import-run-heading">
      <h2 id="import-run-heading">{t('importRun')}</h2>
      <div className="form-actions">
        <button type="button" className="btn" disabled={running} onClick={() => void go(true)} data-testid="import-dry-run">
          {t('importDryRun')}
        </button>
        <button type="button" className="btn btn-primary" disabled={running || !checked} onClick={() => void go(false)} data-testid="import-run">
          {t('importRun')}
        </button>
        {!checked && <span className="field-hint">{t('importDryRunFirst')}</span>}
      </div>
      {run && (
        <div aria-live="polite" data-testid="import-progress">
          <ProgressBar fraction={run.finished ? 1 : progress!.fraction} label={t('importRunning', { n: formatNumber(run.read, lang) })} tone={run.finished ? 'ok' : 'run'} />
          <p className="field-hint">{t('importRunning', { n: formatNumber(run.read, lang) })}</p>
        </div>
      )}
      {run?.finished && outcome.state === 'ready' && <Outcome status={outcome.data} />}
      {run?.finished && outcome.state === 'error' && <ErrorState error={outcome.error} />}
    </section>
  );
}

function Outcome({ status }: { status: ImportStatus }) {
  const { t, pick, lang } = useT();
  const toast = useUi((s) => s.toast);
  const rejects = useImports((s) => s.rejects);
  const n = (value: number) => formatNumber(value, lang);
  const save = async () => {
    try {
      const file = await rejects();
      if (!file) return;
      // UTF-8 with a BOM, so Excel reads the Korean in it
      const blob = new Blob(['\uFEFF', file.text], { type: 'text/csv;charset=utf-8' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = file.fileName;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch {
      toast('error', { ko: '거부 파일을 가져오지 못했습니다.', en: 'The rejects file could not be fetched.' });
    }
  };
  const step = status.step;
  return (
    <div data-testid="import-outcome" data-dry-run={status.dryRun}>
      <p>
        <StatusBadge status={status.execution.status} /> {status.dryRun ? t('importDryRunDone') : t('importDone')}
      </p>
      {status.failure && <p className="field-error">{pick(status.failure.message)}</p>}
      <dl className="facts">
        <dt>{t('importRead')}</dt>
        <dd data-testid="import-read">{n(step?.read ?? 0)}</dd>
        <dt>{status.dryRun ? t('importGood') : t('importWritten')}</dt>
        <dd data-testid="import-written">{n(step?.written ?? 0)}</dd>
        <dt>{t('importSkipped')}</dt>
        <dd data-testid="import-skipped">{n(step?.skipped ?? 0)}</dd>
        <dt>{t('importCreated')}</dt>
        <dd>{n(status.created)}</dd>
        <dt>{t('importMatched')}</dt>
        <dd>{n(status.matched)}</dd>
        <dt>{t('importPasses')}</dt>
        <dd>{n(status.passesAdded)}</dd>
        {!status.dryRun && (
          <>
            <dt>{t('importGroups')}</dt>
            <dd>{n(status.groupsAdded)}</dd>
          </>
        )}
      </dl>
      {status.problems.length > 0 && (
        <>
          <h3>{t('importProblems')}</h3>
          <ul data-testid="import-problems">
            {status.problems.map((p) => (
              <li key={p.row}>
                {t('importRowNo')} {p.row}: {pick(p.message)}
              </li>
            ))}
          </ul>
        </>
      )}
      {status.rejectsFile && (
        <>
          <button type="button" className="btn" onClick={() => void save()} data-testid="import-rejects">
            {t('importRejects', { n: n(status.rejectedRows) })}
          </button>
          <p className="field-hint">{t('importRejectsHint')}</p>
        </>
      )}
    </div>
  );
}
