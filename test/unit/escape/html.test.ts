import { describe, expect, it } from 'vitest';
import { escapeHtml, link, safeHref } from '../../../src/escape/html.js';

describe('HTML escaper', () => {
  it('escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
  it('links only http(s), mailto and in-page anchors', () => {
    expect(safeHref('https://crm.acme.test')).toBe('https://crm.acme.test');
    expect(safeHref('#install')).toBe('#install');
    for (const bad of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:x',
      'data:text/html,x',
      'vbscript:x',
      '//evil',
      'java\nscript:x',
    ])
      expect(safeHref(bad), bad).toBeUndefined();
  });
  it('a javascript: URL is shown as text, never as a link', () => {
    expect(link('javascript:alert(1)')).toBe('javascript:alert(1)');
    expect(link('https://a.test/?q="x"')).toBe(
      '<a href="https://a.test/?q=&quot;x&quot;">https://a.test/?q=&quot;x&quot;</a>',
    );
  });
});
