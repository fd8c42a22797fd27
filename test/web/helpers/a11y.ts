import type { Page } from 'playwright-core';

/**
 * Basic accessibility rules checked in the real DOM: language, one h1, no skipped heading
 * level, a main landmark, unique ids, a label for every form control, a name for every button, and a
 * name for every canvas drawn as an image. Returns the problems found (empty when none).
 */
export function accessibilityProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    if (!document.documentElement.lang) problems.push('html has no lang');
    if (document.querySelectorAll('h1').length !== 1)
      problems.push(`${document.querySelectorAll('h1').length} h1 elements`);
    let previous = 0;
    for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
      const level = Number(h.tagName[1]);
      if (previous && level > previous + 1)
        problems.push(`heading level skipped before "${h.textContent?.trim()}"`);
      previous = level;
    }
    if (!document.querySelector('main')) problems.push('no main landmark');
    const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
    for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i)))
      problems.push(`duplicate id ${id}`);
    const named = (el: Element) =>
      Boolean(
        el.getAttribute('aria-label') ||
        el.getAttribute('aria-labelledby') ||
        (el as HTMLInputElement).labels?.length,
      );
    for (const el of document.querySelectorAll('input:not([type="hidden"]), select, textarea')) {
      if (!named(el)) problems.push(`unlabelled ${el.tagName.toLowerCase()} name=${el.getAttribute('name')}`);
    }
    for (const b of document.querySelectorAll('button'))
      if (!b.textContent?.trim() && !named(b)) problems.push('button without a name');
    for (const c of document.querySelectorAll('canvas')) {
      if (c.getAttribute('role') !== 'img' || !named(c)) problems.push(`canvas ${c.id} is not a named image`);
    }
    return problems;
  });
}
