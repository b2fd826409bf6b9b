// The service's rule for a staff username (main/service/contract/inputs.ts USERNAME_RULE), which
// the screens may not import: copied here with the service's own type, whose values are literal,
// so the build fails the moment the two differ. The Staff screen shows it as the field's hint and
// checks it in the input before anything is sent.
import type { PasswordRule, UsernameRule } from '../../../main/service/contract.ts';
import type { Lang } from '../i18n/words.ts';

export const USERNAME_RULE: UsernameRule = {
  min: 3,
  max: 50,
  chars: 'a-z0-9._\\-',
  words: { ko: '영문 소문자 a-z, 숫자, ".", "_", "-"', en: 'letters a-z, digits, ".", "_" and "-"' },
};

/** A new password's length (contract/inputs.ts PASSWORD_RULE), copied the same way. */
export const PASSWORD_RULE: PasswordRule = { min: 10, max: 200 };

/** The rule in words, for under the field: "3–50자, 영문 소문자 a-z, 숫자, ".", "_", "-"만 쓸 수 있습니다". */
export function usernameHint(lang: Lang): string {
  const { min, max, words } = USERNAME_RULE;
  return lang === 'ko' ? `${min}–${max}자, ${words.ko}만 쓸 수 있습니다` : `${min} to ${max} characters: ${words.en} only`;
}

/**
 * What is wrong with a username as the service will read it (trimmed, lower case), in our words
 * and the screen's language, or null when it keeps the rule: the browser's own "Please match the
 * requested format." says neither what nor in which language.
 */
export function usernameProblem(typed: string, lang: Lang): string | null {
  const name = typed.normalize('NFC').trim().toLowerCase();
  const { min, max } = USERNAME_RULE;
  const rule = usernameHint(lang);
  if (name === '') return lang === 'ko' ? `아이디를 입력하세요. ${rule}.` : `Enter a username: ${rule}.`;
  const allowed = new RegExp(`^[${USERNAME_RULE.chars}]$`);
  const bad = [...new Set([...name].filter((c) => !allowed.test(c)))];
  if (bad.length > 0) {
    const named = bad.map((c) => (c === ' ' ? (lang === 'ko' ? '띄어쓰기' : 'a space') : `"${c}"`)).join(', ');
    return lang === 'ko' ? `아이디에 쓸 수 없는 글자가 있습니다(${named}). ${rule}.` : `A username can't hold ${named}: ${rule}.`;
  }
  if (name.length < min) return lang === 'ko' ? `아이디가 너무 짧습니다. ${rule}.` : `The username is too short: ${rule}.`;
  if (name.length > max) return lang === 'ko' ? `아이디가 너무 깁니다. ${rule}.` : `The username is too long: ${rule}.`;
  return null;
}
