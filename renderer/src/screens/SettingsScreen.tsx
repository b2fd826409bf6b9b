// 8b. 설정: the language here; the database, the notifier and the time zone are the server's
// (environment variables) and shown read-only until the service offers them.
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { PageHeader } from '../components/common.tsx';
import { useT } from '../i18n/i18n.ts';
import { useUi } from '../stores/ui.ts';

export function SettingsScreen() {
  const { t } = useT();
  const zone = useUi((s) => s.timeZone);
  return (
    <div className="page" data-testid="settings">
      <PageHeader title={t('navSettings')} />
      <section className="card settings-grid">
        <div>
          <h2>{t('language')}</h2>
          <p className="muted">{t('settingsLanguageHint')}</p>
        </div>
        <LanguageSwitch />
        <div>
          <h2>{t('timeZone')}</h2>
          <p className="muted">{t('settingsServerSide')}</p>
        </div>
        <div className="mono">{zone}</div>
        <div>
          <h2>{t('databaseConnection')}</h2>
          <p className="muted">{t('settingsServerSide')}</p>
        </div>
        <div className="muted">{t('unavailable')}</div>
        <div>
          <h2>{t('notifier')}</h2>
          <p className="muted">{t('settingsServerSide')}</p>
        </div>
        <div className="muted">{t('unavailable')}</div>
      </section>
    </div>
  );
}
