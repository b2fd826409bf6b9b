// The language in use (Korean unless chosen otherwise, remembered per browser) and the `t`
// that fills a word's {placeholders}.
import { josa } from 'josa';
import { create } from 'zustand';
import { WORDS, type Lang, type WordKey, type Words } from './words.ts';

const LANG_KEY = 'passConsole.lang';

function storedLang(): Lang {
  try {
    return globalThis.localStorage?.getItem(LANG_KEY) === 'en' ? 'en' : 'ko';
  } catch {
    return 'ko';
  }
}

interface LangState {
  lang: Lang;
  setLang(lang: Lang): void;
}

export const useLang = create<LangState>((set) => ({
  lang: storedLang(),
  setLang(lang) {
    try {
      globalThis.localStorage?.setItem(LANG_KEY, lang);
    } catch {
      // private mode: the choice lasts for this page only
    }
    if (typeof document !== 'undefined') document.documentElement.lang = lang;
    set({ lang });
  },
}));

export type Vars = Record<string, string | number>;

const englishPlural = new Intl.PluralRules('en');

/**
 * Fills {name} with its value; {name|one|other} with the English noun its number needs
 * ("1 use", "3 uses"; the number may carry thousands separators).
 */
export function fill(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)(?:\|([^|}]*)\|([^}]*))?\}/g, (whole, name: string, one?: string, other?: string) => {
    if (!(name in vars)) return whole;
    if (one === undefined || other === undefined) return String(vars[name]);
    return englishPlural.select(Number(String(vars[name]).replace(/,/g, ''))) === 'one' ? one : other;
  });
}

/**
 * A word with its {placeholders} filled; in Korean, each particle written as #{을}, #{이},
 * #{은}, #{와} or #{으로} takes the form the word before it needs ("#4를", "#3을", "#1로").
 */
export function translate(lang: Lang, key: WordKey, vars?: Vars): string {
  const text = fill(WORDS[key][lang], vars);
  return lang === 'ko' ? josa(text) : text;
}

export type T = (key: WordKey, vars?: Vars) => string;

/** `t('launch')` and `pick(words)` in the current language. */
export function useT(): { t: T; pick: (words: Words | null | undefined, fallback?: string) => string; lang: Lang } {
  const lang = useLang((s) => s.lang);
  return {
    lang,
    t: (key, vars) => translate(lang, key, vars),
    pick: (words, fallback = '') => (words ? words[lang] : fallback),
  };
}

/** A word in both languages, for messages that outlive the language switch (toasts). */
export function both(key: WordKey, vars?: Vars): Words {
  return { ko: translate('ko', key, vars), en: translate('en', key, vars) };
}

