// The member import's counts of rows in English say "row" for one ("About 1 row", not "About 1 rows").
import { expect, test } from 'vitest';
import { translate } from '../../../renderer/src/i18n/i18n.ts';

test("the member import's counts of rows say row for one and rows for more, in English", () => {
  expect(translate('en', 'importRowsAbout', { n: 1 })).toBe('About 1 row');
  expect(translate('en', 'importRowsAbout', { n: '1,204' })).toBe('About 1,204 rows');
  expect(translate('en', 'importFirstRows', { n: 1 })).toBe('The first 1 row');
  expect(translate('en', 'importFirstRows', { n: 20 })).toBe('The first 20 rows');
  expect(translate('en', 'importRunning', { n: 1 })).toBe('1 row read');
  expect(translate('en', 'importRejects', { n: 1 })).toBe('Download the rejects file (1 row)');
  expect(translate('en', 'importRejects', { n: 3 })).toBe('Download the rejects file (3 rows)');
  expect(translate('ko', 'importRowsAbout', { n: 1 })).toBe('약 1행');
});
