// A job parameter's date and time, filled as a person does in the run form: the day in its date
// field, the time (24-hour) in the field beside it (renderer/src/components/DateTime24Input.tsx).
import type { Page } from 'playwright-core';

/** `value` as datetime-local spells it: 2026-11-16T09:30. */
export async function fillDateTime(page: Page, name: string, value: string): Promise<void> {
  const [day, time = ''] = value.split('T');
  await page.locator(`input[type=text][data-param="${name}"]`).fill(day!);
  await page.locator(`input[data-param-time="${name}"]`).fill(time);
}

/** A form's DateTime24Input named by its data-testid (the date field; the time field's is <testId>-time), filled with `value` as datetime-local spells it. */
export async function fillDateTimeField(page: Page, testId: string, value: string): Promise<void> {
  const [day, time = ''] = value.split('T');
  await page.getByTestId(testId).fill(day!);
  await page.getByTestId(`${testId}-time`).fill(time);
}
