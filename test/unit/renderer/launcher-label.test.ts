// Who launched an execution, as the executions list and detail say it to staff: the schedule and
// the command line in words, never their internal names ('scheduler@front-pc', 'cli').
import { expect, test } from 'vitest';
import { translate } from '../../../renderer/src/i18n/i18n.ts';
import type { Lang } from '../../../renderer/src/i18n/words.ts';
import { launcherLabel } from '../../../renderer/src/screens/executions/launcherLabel.ts';

const label = (launchedBy: string | null, lang: Lang, external = false) => launcherLabel({ launchedBy, external }, (key, vars) => translate(lang, key, vars));

test('a scheduled run is said to come from the schedule, with the desk that fired it; the command line and staff are named in words', () => {
  expect(label('scheduler@front-pc', 'ko')).toBe('예약 실행 (front-pc)');
  expect(label('scheduler@front-pc', 'en')).toBe('Schedule (front-pc)');
  expect(label('cli', 'ko')).toBe('명령줄');
  expect(label('cli', 'en')).toBe('Command line');
  expect(label('manager.lee', 'en')).toBe('manager.lee');
  expect(label(null, 'ko')).toBe('예약 실행');
  expect(label(null, 'en', true)).toBe(translate('en', 'otherApplication'));
});

test('a scheduled run says whether this console’s schedule launched it or another console’s, by that console’s name', () => {
  const scheduled = (scheduledHere: boolean | undefined, lang: Lang) => launcherLabel({ launchedBy: 'scheduler@vm', external: false, scheduledHere }, (key, vars) => translate(lang, key, vars));
  expect(scheduled(true, 'ko')).toBe('예약 실행 (이 콘솔)');
  expect(scheduled(true, 'en')).toBe('Schedule (this console)');
  expect(scheduled(false, 'ko')).toBe('예약 실행 (다른 콘솔: vm)');
  expect(scheduled(false, 'en')).toBe('Schedule (another console: vm)');
  // a service that does not say: the name, as before
  expect(scheduled(undefined, 'en')).toBe('Schedule (vm)');
});
