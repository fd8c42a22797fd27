import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core run inside the page (evaluated through the DevTools protocol, so the page's CSP stays as it is):
 * the serious and critical violations, each as "rule: target, target".
 */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: unknown,
            opts: unknown,
          ): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.slice(0, 4).map((n) => n.target.join(' ')),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.targets.join(', ')}`);
}

/** How far the page is wider than its viewport (0 when nothing sticks out sideways). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Form controls that stick out of their form's box (e.g. a file input over the next card). */
export function controlsOutsideForms(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const form of document.querySelectorAll('form.action, form.tick')) {
      const box = form.getBoundingClientRect();
      if (box.width === 0) continue; // inside a closed <details>
      for (const el of form.querySelectorAll('input:not([type="hidden"]), select, textarea, button')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > box.right + 1)
          out.push(
            `${form.id || form.getAttribute('action')}: ${el.getAttribute('name') ?? el.textContent?.trim()}`,
          );
      }
    }
    return out;
  });
}
