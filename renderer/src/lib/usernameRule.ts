// The service's rule for a staff username (main/service/contract/inputs.ts USERNAME_RULE), which
// the screens may not import: copied here with the service's own type, whose values are literal,
// so the build fails the moment the two differ. The Staff screen shows it as the field's hint and
// checks it in the input before anything is sent.
import type { UsernameRule } from '../../../main/service/contract.ts';
import type { Lang } from '../i18n/words.ts';

export const USERNAME_RULE: UsernameRule = {
  min: 3,
  max: 50,
  chars: 'a-z0-9._\\-',
  words: { ko: '영문 소문자 a-z, 숫자, ".", "_", "-"', en: 'letters a-z, digits, ".", "_" and "-"' },
};

/** The rule in words, for under the field: "3–50자, 영문 소문자 a-z, 숫자, ".", "_", "-"만 쓸 수 있습니다". */
export function usernameHint(lang: Lang): string {
  const { min, max, words } = USERNAME_RULE;
  return lang === 'ko' ? `${min}–${max}자, ${words.ko}만 쓸 수 있습니다` : `${min} to ${max} characters: ${words.en} only`;
}
