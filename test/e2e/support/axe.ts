// axe-core in the served console. The console's CSP (`script-src 'self'`) refuses the inline
// <script> that page.addScriptTag({ path }) writes, so the test evaluates axe's source through
// the DevTools protocol (page.evaluate), which the page's CSP does not govern. The app's CSP is
// left as it is.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.1 A and AA, as the scan used. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeViolation {
  view: string;
  id: string;
  impact: string;
  nodes: number;
  targets: string[];
  summary: string;
}

export async function injectAxe(page: Page): Promise<void> {
  if (await page.evaluate(() => 'axe' in window)) return;
  await page.evaluate(AXE_SOURCE);
}

/** The violations axe finds in the page as it is now, named after `view`. */
export async function scan(page: Page, view: string): Promise<AxeViolation[]> {
  await injectAxe(page);
  const found = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[]; failureSummary?: string }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => n.target.map(String).join(' ')),
      summary: (v.nodes[0]?.failureSummary ?? '').split('\n').slice(0, 2).join(' ').slice(0, 200),
    }));
  }, TAGS);
  return found.map((v) => ({ view, ...v }));
}

/** Serious and critical only: the ones the issue asks the tests to fail on. */
export function blocking(violations: AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** One line per rule: how many nodes on how many views. */
export function byRule(violations: AxeViolation[]): string[] {
  const rules = new Map<string, { impact: string; nodes: number; views: Set<string> }>();
  for (const v of violations) {
    const r = rules.get(v.id) ?? { impact: v.impact, nodes: 0, views: new Set<string>() };
    r.nodes += v.nodes;
    r.views.add(v.view);
    rules.set(v.id, r);
  }
  return [...rules].map(([id, r]) => `${id} (${r.impact}): ${r.nodes} nodes on ${r.views.size} views`);
}
