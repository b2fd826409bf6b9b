// A schedule's cron expression in words: "매일 00:05" / "Daily at 00:05". Patterns staff meet
// in practice are spelled out; anything else is shown as the expression itself.
import type { Lang } from '../i18n/words.ts';

const DAYS_KO = ['일', '월', '화', '수', '목', '금', '토'];
const DAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const isNum = (s: string | undefined) => s !== undefined && /^\d{1,2}$/.test(s);
const pad = (s: string) => s.padStart(2, '0');

export function cronInWords(cron: string, lang: Lang): string {
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
