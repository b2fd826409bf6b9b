// 처음 시작하기: on a manager's or admin's home screen, while the gym has no package on sale or no
// member (a gym that started empty), the steps that make it one the desk can work in, in order,
// each read from the gym (setup.firstSteps) as done or to do, with the way to the screen that does
// it. "Later" puts the list away until the console opens again; it goes for good once the gym has
// packages and members. A guide, not a gate: if it can't be read, nothing is shown.
import { useEffect, useState } from 'react';
import { create } from 'zustand';
import type { FirstStepsView, Role } from '../../../main/service/contract.ts';
import { bridge } from '../bridge/index.ts';
import { useT } from '../i18n/i18n.ts';
import type { WordKey } from '../i18n/words.ts';
import { formatNumber } from '../lib/format.ts';
import { atLeast, useSession } from '../stores/session.ts';
import { SCREENS, useUi, type Screen } from '../stores/ui.ts';

type StepWords = 'Packages' | 'Members' | 'Staff' | 'Classes' | 'Notifier' | 'Kiosk';

interface Step {
  words: StepWords;
  least: Role;
  optional?: boolean;
  /** how many the gym has (null: a yes/no step) */
  count(view: FirstStepsView): number | null;
  done(view: FirstStepsView): boolean;
  screens: Screen[];
}

const STEPS: Step[] = [
  { words: 'Packages', least: 'MANAGER', count: (v) => v.packagesOnSale, done: (v) => v.packagesOnSale > 0, screens: ['packages'] },
  { words: 'Members', least: 'MANAGER', count: (v) => v.members, done: (v) => v.members > 0, screens: ['members', 'imports'] },
  { words: 'Staff', least: 'ADMIN', count: (v) => v.staffAccounts, done: (v) => v.staffAccounts > 0, screens: ['staff'] },
  { words: 'Classes', least: 'MANAGER', optional: true, count: (v) => v.upcomingClasses, done: (v) => v.upcomingClasses > 0, screens: ['classes'] },
  { words: 'Notifier', least: 'ADMIN', optional: true, count: () => null, done: (v) => v.membersHearFromGym, screens: ['settings'] },
  { words: 'Kiosk', least: 'ADMIN', optional: true, count: (v) => v.kioskAccounts, done: (v) => v.kioskAccounts > 0, screens: ['staff'] },
];

/** "Later", for as long as this console stays open. */
export const useFirstStepsLater = create<{ later: boolean; putAway(): void }>((set) => ({ later: false, putAway: () => set({ later: true }) }));

export function FirstSteps() {
  const role = useSession((s) => s.me?.role);
  const later = useFirstStepsLater((s) => s.later);
  const putAway = useFirstStepsLater((s) => s.putAway);
  const go = useUi((s) => s.go);
  const { t, lang } = useT();
  const [view, setView] = useState<FirstStepsView | null>(null);
  const manager = role !== undefined && atLeast(role, 'MANAGER');

  useEffect(() => {
    if (!manager || later) return;
    let current = true;
    bridge()
      .call('setup.firstSteps', {})
      .then((read) => current && setView(read))
      .catch(() => current && setView(null));
    return () => {
      current = false;
    };
  }, [manager, later]);

  // shown while the gym can't sell or book yet (no package on sale or no active member): the
  // service says so, and counts packages, members and classes only then (for a gym that has both it
  // counts none past 1), so the counts the steps show are whole whenever they show
  if (!manager || later || view === null || !view.listNeeded) return null;
  const steps = STEPS.filter((s) => atLeast(role, s.least));
  const label = (screen: Screen): string => t(SCREENS.find((s) => s.id === screen)!.label);
  return (
    <section className="first-steps" aria-labelledby="first-steps-title" data-testid="first-steps">
      <div className="first-steps-head">
        <h2 id="first-steps-title">{t('firstSteps')}</h2>
        <button type="button" className="btn btn-ghost btn-small" onClick={putAway} aria-describedby="first-steps-later-hint" data-testid="first-steps-later">
          {t('firstStepsLater')}
        </button>
        <span id="first-steps-later-hint" className="visually-hidden">
          {t('firstStepsLaterHint')}
        </span>
      </div>
      <p className="muted">{t('firstStepsIntro')}</p>
      <ol className="first-steps-list">
        {steps.map((step) => {
          const done = step.done(view);
          const count = step.count(view);
          const key = (suffix: '' | 'Hint' | 'Done') => `firstStep${step.words}${suffix}` as WordKey;
          return (
            <li key={step.words} className={done ? 'done' : ''} data-testid={`first-step-${step.words.toLowerCase()}`} data-done={done}>
              <span className={`first-step-mark${done ? ' done' : ''}`}>{done ? `✓ ${t('firstStepDone')}` : step.optional ? t('firstStepOptional') : t('firstStepToDo')}</span>
              <div className="first-step-body">
                <strong>{t(key(''))}</strong>
                <span className="muted">{done ? t(key('Done'), count === null ? undefined : { n: formatNumber(count, lang) }) : t(key('Hint'))}</span>
              </div>
              <div className="first-step-actions">
                {step.screens.map((screen) => (
                  <button key={screen} type="button" className={`btn btn-small${done || step.optional ? '' : ' btn-primary'}`} onClick={() => go(screen)} data-testid={`first-step-go-${screen}`}>
                    {t('firstStepGo', { screen: label(screen) })}
                  </button>
                ))}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
