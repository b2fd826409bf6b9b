// A schedule's cron expression in words: "매일 00:05" / "Daily at 00:05". Patterns staff meet
// in practice are spelled out; anything else is shown as the expression itself.
import type { CronFields } from '../../../main/service/contract.ts';
import type { Lang } from '../i18n/words.ts';

const DAYS_KO = ['일', '월', '화', '수', '목', '금', '토'];
const DAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const isNum = (s: string | undefined) => s !== undefined && /^\d{1,2}$/.test(s);
const pad = (s: string) => s.padStart(2, '0');

/**
 * A cron field's name and the numbers it takes, seconds first: the service's table
 * (main/service/contract/inputs.ts CRON_FIELDS), which the screens may not import, copied with its
 * own type, whose values are literal, so the build fails the moment the two differ.
 */
const FIELDS: CronFields = [
  { ko: '초', topic: '는', en: 'second', min: 0, max: 59 },
  { ko: '분', topic: '은', en: 'minute', min: 0, max: 59 },
  { ko: '시', topic: '는', en: 'hour', min: 0, max: 23 },
  { ko: '일', topic: '은', en: 'day of the month', min: 1, max: 31 },
  { ko: '월', topic: '은', en: 'month', min: 1, max: 12 },
  { ko: '요일', topic: '은', en: 'weekday', min: 0, max: 7 },
] as const;

/**
 * What is wrong with a cron expression, in words, or null: the wrong number of fields, or a
 * number its field does not have ("61 * * * *": there is no minute 61). Names (MON, JAN) and the
 * like are left to the service.
 */
export function cronProblem(cron: string, lang: Lang): string | null {
  const parts = cron.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) return lang === 'ko' ? 'cron은 5개(또는 초를 포함해 6개) 항목입니다.' : 'A cron expression has 5 fields (6 with seconds).';
  const specs = parts.length === 6 ? FIELDS : FIELDS.slice(1);
  for (const [i, part] of parts.entries()) {
    const spec = specs[i]!;
    for (const item of part.split(',')) {
      for (const number of item.split('/')[0]!.split('-')) {
        if (!/^\d+$/.test(number)) continue;
        const n = Number(number);
        if (n < spec.min || n > spec.max) {
          return lang === 'ko'
            ? `${spec.ko} 자리에는 ${spec.min}부터 ${spec.max}까지 쓸 수 있습니다. ${n}${spec.ko}${spec.topic} 없습니다.`
            : `The ${spec.en} field takes ${spec.min} to ${spec.max}; there is no ${spec.en} ${n}.`;
        }
      }
    }
  }
  return null;
}

/** The cron in words; one that is not valid (`cronProblem`), or no pattern staff meet, as the expression itself. */
export function cronInWords(cron: string, lang: Lang): string {
  if (cronProblem(cron, lang)) return cron;
  const parts = cron.trim().split(/\s+/);
  // Six fields: seconds first; drop them when zero.
  if (parts.length === 6 && parts[0] === '0') parts.shift();
  if (parts.length !== 5) return cron;
  const [min, hour, dom, mon, dow] = parts as [string, string, string, string, string];
  const everyMin = /^\*\/(\d+)$/.exec(min);
  if (everyMin && hour === '*' && dom === '*' && mon === '*' && dow === '*') {
    return lang === 'ko' ? `${everyMin[1]}분마다` : `Every ${everyMin[1]} minutes`;
  }
  if (min === '*' && hour === '*' && dom === '*' && mon === '*' && dow === '*') return lang === 'ko' ? '매분' : 'Every minute';
  if (isNum(min) && hour === '*' && dom === '*' && mon === '*' && dow === '*') {
    return lang === 'ko' ? `매시 ${pad(min)}분` : `Hourly at :${pad(min)}`;
  }
  if (!isNum(min) || !isNum(hour) || mon !== '*') return cron;
  const time = `${pad(hour)}:${pad(min)}`;
  if (dom === '*' && dow === '*') return lang === 'ko' ? `매일 ${time}` : `Daily at ${time}`;
  if (dom === '*' && /^[0-7](,[0-7])*$/.test(dow)) {
    const days = dow.split(',').map((d) => Number(d) % 7);
    return lang === 'ko' ? `매주 ${days.map((d) => DAYS_KO[d]).join('·')}요일 ${time}` : `Every ${days.map((d) => DAYS_EN[d]).join(', ')} at ${time}`;
  }
  if (dom === '*' && dow === '1-5') return lang === 'ko' ? `평일 ${time}` : `Weekdays at ${time}`;
  if (isNum(dom) && dow === '*') return lang === 'ko' ? `매월 ${Number(dom)}일 ${time}` : `Monthly on day ${Number(dom)} at ${time}`;
  return cron;
}
