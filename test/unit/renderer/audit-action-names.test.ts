// The Activity log names every action the console records in words, in Korean and English: an
// action without a name showed its code ('statistics.build', 'staff.unlock') to staff.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { ACTION_NAME } from '../../../renderer/src/i18n/words.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

/** The actions written to audit_log by the service, the command line and the composition root, as their code names them. */
function recordedActions(): string[] {
  const actions = new Set<string>();
  for (const folder of ['main/service', 'main/cli', 'main/app']) {
    for (const file of readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(ROOT, folder, file), 'utf8');
      for (const m of text.matchAll(/\baction: '([a-zA-Z]+\.[a-zA-Z]+)'/g)) actions.add(m[1]!);
      for (const m of text.matchAll(/\bstaffChange\(ctx, '([a-zA-Z]+\.[a-zA-Z]+)'/g)) actions.add(m[1]!);
    }
  }
  return [...actions].sort();
}

test('every action the console records has a name in the Activity log, in Korean and in English', () => {
  const actions = recordedActions();
  expect(actions).toContain('executions.launch');
  expect(actions).toContain('staff.unlock');
  expect(actions.filter((a) => !ACTION_NAME[a]?.ko || !ACTION_NAME[a]?.en)).toEqual([]);
});
