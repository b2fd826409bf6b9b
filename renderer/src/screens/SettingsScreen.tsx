// 8b. 설정 (admin): the gym's time zone, the console's language and the notifier, saved together
// after a confirmation that lists what changes; a test send through the saved notifier; and a
// database address tested (never switched to) with a connection test.
import { useEffect, useState } from 'react';
import { bridge } from '../bridge/index.ts';
import type { ConnectionTest, NotifierConfig, SettingsView } from '../../../main/service/contract.ts';
import { confirmAction, ErrorState, Field, Loaded, PageHeader } from '../components/common.tsx';
import { TimeZoneInput } from '../components/TimeZoneInput.tsx';
import { both, useT } from '../i18n/i18n.ts';
import type { WordKey, Words } from '../i18n/words.ts';
import { focusLost, focusSoon } from '../lib/focus.ts';
import { formatBytes, formatDateTime, formatNumber } from '../lib/format.ts';
import { useBackups } from '../stores/backups.ts';
import { changesOf, draftProblems, useSettings, type Problems, type SettingsDraft } from '../stores/settings.ts';
import { useUi } from '../stores/ui.ts';
import { messageOf, type Load } from '../stores/errors.ts';

export function SettingsScreen() {
  const { t } = useT();
  const settings = useSettings((s) => s.settings);
  const reload = useSettings((s) => s.reload);
  const reloadBackups = useBackups((s) => s.reload);

  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <div className="page" data-testid="settings">
      <PageHeader title={t('navSettings')}>
        <button type="button" className="btn" onClick={() => void Promise.all([reload(), reloadBackups()])} data-shortcut="r" aria-keyshortcuts="r">
          {t('refresh')}
        </button>
      </PageHeader>
      <Loaded load={settings} onRetry={() => void reload()}>
        {(view) => <SettingsForm view={view} />}
      </Loaded>
    </div>
  );
}

function useProblemText() {
  const { t, pick } = useT();
  return (problem: WordKey | Words | undefined): string | null => (problem === undefined ? null : typeof problem === 'string' ? t(problem) : pick(problem));
}

function SettingsForm({ view }: { view: SettingsView }) {
  const { t, lang } = useT();
  const zone = useUi((s) => s.timeZone);
  const toast = useUi((s) => s.toast);
  const { draft, serverProblems, saving, edit, reset, save } = useSettings();
  const problemText = useProblemText();
  if (!draft) return null;

  const problems: Problems = { ...draftProblems(draft), ...serverProblems };
  const changes = changesOf(view, draft);
  const invalid = Object.keys(draftProblems(draft)).length > 0;
  const notifierDirty = changes?.notifier !== undefined;

  const submit = async () => {
    if (!changes || invalid) return;
    const lines = describeChanges(view, draft, t);
    const ok = await confirmAction({
      title: t('settingsConfirmTitle'),
      body: (
        <ul className="change-list" data-testid="settings-changes">
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ),
      confirmLabel: t('save'),
    });
    if (!ok) return;
    const outcome = await save();
    if (outcome.ok) toast('success', both('settingsSaved'));
    else toast('error', outcome.error);
  };

  return (
    <form
      className="settings"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      noValidate
    >
      <p className="muted">{t('settingsIntro')}</p>
      <p className="muted small" data-testid="settings-modified">
        {view.modifiedAt && view.modifiedBy ? t('lastChanged', { who: view.modifiedBy, at: formatDateTime(view.modifiedAt, lang, zone) }) : t('neverChanged')}
      </p>

      <section className="card settings-section" aria-labelledby="settings-gym">
        <h2 id="settings-gym">{t('settingsGeneral')}</h2>
        <div className="form-grid">
          <Field label={t('timeZone')} hint={t('settingsTimeZoneHint')} error={problemText(problems.timeZone)}>
            <TimeZoneInput value={draft.timeZone} onChange={(timeZone) => edit({ timeZone })} invalid={problems.timeZone !== undefined} testId="settings-timezone" />
          </Field>
          <Field label={t('language')} hint={t('settingsLanguageDefault')}>
            <select value={draft.language} onChange={(e) => edit({ language: e.target.value as SettingsDraft['language'] })} data-testid="settings-language">
              <option value="ko">한국어 (Korean)</option>
              <option value="en">English (영어)</option>
            </select>
          </Field>
        </div>
        {view.timeZone !== view.activeTimeZone && (
          <p className="notice" data-testid="settings-zone-pending">
            {t('settingsTimeZoneNextStart', { saved: view.timeZone, active: view.activeTimeZone })}
          </p>
        )}
      </section>

      <section className="card settings-section" aria-labelledby="settings-booking" data-testid="settings-booking">
        <h2 id="settings-booking">{t('bookingPolicy')}</h2>
        <p className="muted">{t('bookingPolicyHint')}</p>
        <div className="form-grid">
          <Field label={t('cancelCutoffMinutes')} error={problemText(problems.cancelCutoffMinutes)}>
            <input
              type="number"
              min={0}
              max={10080}
              value={draft.cancelCutoffMinutes}
              onChange={(e) => edit({ cancelCutoffMinutes: e.target.value })}
              aria-invalid={problems.cancelCutoffMinutes ? true : undefined}
              data-testid="settings-cutoff"
            />
          </Field>
          <label className="check">
            <input type="checkbox" checked={draft.lateCancelCountsAsUse} onChange={(e) => edit({ lateCancelCountsAsUse: e.target.checked })} data-testid="settings-late-counts" />
            {t('lateCancelCountsAsUse')}
          </label>
          <div className="field">
            <label className="check">
              <input type="checkbox" checked={draft.deductNoShows} onChange={(e) => edit({ deductNoShows: e.target.checked })} aria-describedby="settings-no-shows-hint" data-testid="settings-deduct-no-shows" />
              {t('deductNoShows')}
            </label>
            <span className="field-hint" id="settings-no-shows-hint">
              {t('deductNoShowsHint')}
            </span>
          </div>
        </div>
      </section>

      <section className="card settings-section" aria-labelledby="settings-notifier">
        <h2 id="settings-notifier">{t('notifier')}</h2>
        <p className="muted">{t('notifierHint')}</p>
        <div className="segmented" role="radiogroup" aria-label={t('notifierKind')}>
          {(['webhook', 'logFile'] as const).map((kind) => (
            <button
              key={kind}
              type="button"
              role="radio"
              aria-checked={draft.notifierKind === kind}
              className={draft.notifierKind === kind ? 'active' : ''}
              onClick={() => edit({ notifierKind: kind })}
              data-testid={`notifier-${kind}`}
            >
              {t(kind === 'webhook' ? 'notifierWebhook' : 'notifierLogFile')}
            </button>
          ))}
        </div>
        {draft.notifierKind === 'webhook' ? (
          <div className="form-grid settings-notifier-grid">
            <Field label={t('webhookUrl')} error={problemText(problems.webhookUrl)}>
              <input
                type="url"
                value={draft.webhookUrl}
                placeholder="https://relay.example.com/notify"
                onChange={(e) => edit({ webhookUrl: e.target.value })}
                aria-invalid={problems.webhookUrl ? true : undefined}
                data-testid="settings-webhook-url"
              />
            </Field>
            <Field label={t('webhookTimeout')} hint={t('webhookTimeoutHint')} error={problemText(problems.timeoutMs)}>
              <input
                type="number"
                min={100}
                max={60_000}
                step={100}
                value={draft.timeoutMs}
                onChange={(e) => edit({ timeoutMs: e.target.value })}
                aria-invalid={problems.timeoutMs ? true : undefined}
                data-testid="settings-webhook-timeout"
              />
            </Field>
          </div>
        ) : (
          <div className="form-grid settings-notifier-grid">
            <Field label={t('logPath')} hint={t('logPathHint')} error={problemText(problems.logPath)}>
              <input
                value={draft.logPath}
                placeholder="/var/log/pass/notifications.log"
                onChange={(e) => edit({ logPath: e.target.value })}
                aria-invalid={problems.logPath ? true : undefined}
                data-testid="settings-log-path"
              />
            </Field>
          </div>
        )}
        <NotifierTest dirty={notifierDirty} />
      </section>

      <div className="settings-save">
        <span className="muted" aria-live="polite">
          {changes ? describeChanges(view, draft, t).join(' · ') : t('noChanges')}
        </span>
        <button type="button" className="btn" onClick={reset} disabled={!changes || saving} data-testid="settings-discard">
          {t('discardChanges')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={!changes || invalid || saving} data-testid="settings-save">
          {saving ? t('saving') : t('saveSettings')}
        </button>
      </div>

      <DatabaseSection view={view} problem={problemText(problems.databaseUrl)} />
      <FoldersSection view={view} />
      <BackupsSection />
    </form>
  );
}

function notifierText(n: NotifierConfig, t: ReturnType<typeof useT>['t']): string {
  if (n.kind === 'webhook') return `${t('notifierWebhook')} ${n.url}${n.timeoutMs !== undefined ? ` (${n.timeoutMs} ms)` : ''}`;
  return n.path ? `${t('notifierLogFile')} ${n.path}` : t('defaultLogFile');
}

/** The confirmation's lines: each setting that changes, from → to. */
function describeChanges(view: SettingsView, draft: SettingsDraft, t: ReturnType<typeof useT>['t']): string[] {
  const changes = changesOf(view, draft);
  if (!changes) return [];
  const lines: string[] = [];
  const langName = (l: 'ko' | 'en') => t(l === 'ko' ? 'languageKo' : 'languageEn');
  if (changes.timeZone !== undefined) lines.push(t('changeFromTo', { what: t('timeZone'), from: view.timeZone, to: changes.timeZone }));
  if (changes.language !== undefined) lines.push(t('changeFromTo', { what: t('language'), from: langName(view.language), to: langName(changes.language) }));
  if (changes.notifier !== undefined) lines.push(t('changeFromTo', { what: t('notifier'), from: notifierText(view.notifier, t), to: notifierText(changes.notifier, t) }));
  if (changes.bookingPolicy !== undefined) {
    const policyText = (p: SettingsView['bookingPolicy']) =>
      `${t(p.lateCancelCountsAsUse ? 'policyCounts' : 'policyFree', { n: p.cancelCutoffMinutes })}, ${t(p.deductNoShows ? 'policyNoShowsCount' : 'policyNoShowsFree')}`;
    const next = { ...view.bookingPolicy, ...changes.bookingPolicy };
    lines.push(t('changeFromTo', { what: t('bookingPolicy'), from: policyText(view.bookingPolicy), to: policyText(next) }));
  }
  return lines;
}

function TestOutcome({ test, testId }: { test: Load<ConnectionTest>; testId: string }) {
  const { t, pick, lang } = useT();
  if (test.state === 'error') return <ErrorState error={test.error} />;
  if (test.state !== 'ready') return null;
  const r = test.data;
  return (
    <div className={`test-outcome ${r.ok ? 'test-ok' : 'test-bad'}`} role="status" data-testid={testId} data-ok={r.ok}>
      <strong>{t(r.ok ? 'testOk' : 'testFailed')}</strong>
      <span className="mono">{r.target}</span>
      {r.detail && <span>{r.detail}</span>}
      {r.error && <span>{pick(r.error)}</span>}
      <span className="muted">{t('testElapsed', { ms: formatNumber(r.elapsedMs, lang) })}</span>
    </div>
  );
}

function NotifierTest({ dirty }: { dirty: boolean }) {
  const { t } = useT();
  const test = useSettings((s) => s.notifierTest);
  const run = useSettings((s) => s.testNotifier);
  return (
    <div className="test-row">
      <button type="button" className="btn" disabled={dirty || test.state === 'loading'} onClick={() => void run()} data-testid="settings-test-notifier">
        {test.state === 'loading' ? t('testSending') : t('testSend')}
      </button>
      <span className="muted small">{t(dirty ? 'testSendSaveFirst' : 'testSendHint')}</span>
      <TestOutcome test={test} testId="notifier-test-outcome" />
    </div>
  );
}

const isFullPath = (text: string) => text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text) || text.startsWith('\\\\');

/** The folders an admin allows besides the data folder: each add or remove is confirmed and saved at once (settings.update, audited). */
function FoldersSection({ view }: { view: SettingsView }) {
  const { t } = useT();
  const toast = useUi((s) => s.toast);
  const reload = useSettings((s) => s.reload);
  const [path, setPath] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const saveList = async (allowedFolders: string[], question: string, target: string) => {
    const ok = await confirmAction({
      title: t('foldersTitle'),
      body: (
        <>
          <p>{question}</p>
          <p className="mono">{target}</p>
        </>
      ),
      confirmLabel: t('save'),
    });
    if (!ok) return false;
    setBusy(true);
    try {
      await bridge().call('settings.update', { allowedFolders });
      toast('success', both('foldersSaved'));
      await reload();
      return true;
    } catch (error) {
      toast('error', messageOf(error));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async () => {
    const folder = path.trim();
    if (!isFullPath(folder)) {
      setProblem(t('folderPathNotFull'));
      return;
    }
    setProblem(null);
    if (await saveList([...view.allowedFolders, folder], t('folderAddConfirm'), folder)) setPath('');
  };

  return (
    <section className="card settings-section" aria-labelledby="settings-folders" data-testid="settings-folders">
      <h2 id="settings-folders">{t('foldersTitle')}</h2>
      <p className="muted">{t('foldersIntro')}</p>
      <dl className="facts">
        <dt>{t('foldersDataFolder')}</dt>
        <dd className="mono" data-testid="settings-data-folder">
          {view.dataFolder}
        </dd>
      </dl>
      {view.allowedFolders.length === 0 ? (
        <p className="muted" data-testid="settings-folders-none">
          {t('foldersNone')}
        </p>
      ) : (
        <ul className="change-list" data-testid="settings-folder-list">
          {view.allowedFolders.map((folder) => (
            <li key={folder}>
              <span className="mono">{folder}</span>{' '}
              <button
                type="button"
                className="btn btn-small"
                disabled={busy}
                onClick={() => void saveList(view.allowedFolders.filter((f) => f !== folder), t('folderRemoveConfirm'), folder)}
                aria-label={`${t('folderRemove')}: ${folder}`}
              >
                {t('folderRemove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="test-row test-row-input">
        <Field label={t('folderPath')} hint={t('folderPathHint')} error={problem}>
          <input
            value={path}
            onChange={(e) => setPath(e.target.value)}
            onKeyDown={(e) => {
              // Enter adds the folder; it must not submit the settings form around it.
              if (e.key === 'Enter') {
                e.preventDefault();
                void add();
              }
            }}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={problem ? true : undefined}
            data-testid="settings-folder-path"
          />
        </Field>
        <button type="button" className="btn" disabled={!path.trim() || busy} onClick={() => void add()} data-testid="settings-folder-add">
          {t('folderAdd')}
        </button>
      </div>
    </section>
  );
}

function DatabaseSection({ view, problem }: { view: SettingsView; problem: string | null }) {
  const { t } = useT();
  const url = useSettings((s) => s.databaseUrl);
  const setUrl = useSettings((s) => s.setDatabaseUrl);
  const test = useSettings((s) => s.databaseTest);
  const run = useSettings((s) => s.testDatabase);
  return (
    <section className="card settings-section" aria-labelledby="settings-database">
      <h2 id="settings-database">{t('databaseConnection')}</h2>
      <dl className="facts">
        <dt>{t('databaseInUse')}</dt>
        <dd className="mono" data-testid="settings-database-current">
          {view.database.url} ({view.database.dialect === 'mysql' ? 'MySQL / MariaDB' : 'SQLite'})
        </dd>
      </dl>
      <p className="notice" data-testid="settings-database-note">
        {t('databaseTestOnly')}
      </p>
      <div className="test-row test-row-input">
        <Field label={t('databaseTestUrl')} hint={t('databaseTestHint')} error={problem}>
          <input
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            onKeyDown={(e) => {
              // Enter tests the address; it must not submit the settings form around it.
              if (e.key === 'Enter') {
                e.preventDefault();
                void run();
              }
            }}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={problem ? true : undefined}
            data-testid="settings-database-url"
          />
        </Field>
        <button type="button" className="btn" disabled={!url.trim() || test.state === 'loading'} onClick={() => void run()} data-testid="settings-test-database">
          {test.state === 'loading' ? t('testConnecting') : t('testConnection')}
        </button>
      </div>
      <TestOutcome test={test} testId="database-test-outcome" />
    </section>
  );
}


function BackupsSection() {
  const { t, lang } = useT();
  const zone = useUi((s) => s.timeZone);
  const toast = useUi((s) => s.toast);
  const { backups, runningId, reload, backUpNow } = useBackups();

  useEffect(() => {
    void reload();
  }, [reload]);

  const run = async () => {
    const outcome = await backUpNow();
    if (outcome.ok) toast('success', both('backupDone'));
    else toast('error', outcome.error);
    // the button turned off while it ran and the focus fell to the page: back to it
    if (focusLost()) focusSoon('[data-testid=backup-now]');
  };

  return (
    <section className="card settings-section" aria-labelledby="settings-backups" data-testid="settings-backups">
      <h2 id="settings-backups">{t('backups')}</h2>
      <Loaded load={backups} onRetry={() => void reload()}>
        {(view) =>
          !view.supported ? (
            <p className="notice" data-testid="backups-mysql">
              {t('backupsMysql')}
            </p>
          ) : (
            <>
              <p className="muted">{t('backupsIntro')}</p>
              <dl className="facts">
                <dt>{t('backupFolder')}</dt>
                <dd className="mono" data-testid="backup-folder">
                  {view.folder}
                </dd>
                <dt>{t('backupsKept')}</dt>
                <dd>{t('backupsKeptValue', { n: formatNumber(view.keep ?? 0, lang) })}</dd>
              </dl>
              {view.backups.length === 0 ? (
                <p className="muted" data-testid="backups-none">
                  {t('noBackups')}
                </p>
              ) : (
                <div className="table-wrap">
                  <table className="table" data-testid="backup-list">
                    <thead>
                      <tr>
                        <th>{t('backupTakenAt')}</th>
                        <th>{t('backupFile')}</th>
                        <th className="num">{t('backupSize')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {view.backups.map((b) => (
                        <tr key={b.fileName} data-testid="backup-row">
                          <td>{formatDateTime(b.takenAt, lang, zone)}</td>
                          <td className="mono" title={b.path}>
                            {b.fileName}
                          </td>
                          <td className="num">{formatBytes(b.sizeBytes, lang)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              <div className="test-row">
                <button type="button" className="btn" disabled={runningId !== null} onClick={() => void run()} data-testid="backup-now">
                  {runningId !== null ? t('backingUp') : t('backUpNow')}
                </button>
              </div>
              {bridge().kind === 'ipc' ? (
                // The desktop has the File menu's restore; a browser's console runs on a server.
                <p className="muted small">{t('backupRestoreDesktop')}</p>
              ) : (
                <>
                  <p className="muted small">{t('backupRestoreHint')}</p>
                  <code className="mono small restore-command" data-testid="backup-restore-command">
                    pass-batch restore {view.folder}
                    {view.folder?.includes('\\') ? '\\' : '/'}&lt;{t('backupFileArg')}&gt; --yes
                  </code>
                </>
              )}
            </>
          )
        }
      </Loaded>
    </section>
  );
}
