// 한국어 / English, on the sign-in page and in the sidebar.
import { useLang, useT } from '../i18n/i18n.ts';

export function LanguageSwitch() {
  const { lang, t } = useT();
  const setLang = useLang((s) => s.setLang);
  return (
    <div className="lang-switch" role="group" aria-label={t('language')}>
      <button type="button" className={lang === 'ko' ? 'active' : ''} aria-pressed={lang === 'ko'} onClick={() => setLang('ko')} data-testid="lang-ko">
        한국어
      </button>
      <button type="button" className={lang === 'en' ? 'active' : ''} aria-pressed={lang === 'en'} onClick={() => setLang('en')} data-testid="lang-en">
        English
      </button>
    </div>
  );
}
