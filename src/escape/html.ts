/**
 * HTML text and attribute values (the five characters that matter in both), and link targets: only http(s),
 * mailto and in-page anchors may become an href; anything else (javascript:, data:, ...) is shown as text.
 */
const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => entities[c]!);

export function safeHref(url: string): string | undefined {
  if (/^#[A-Za-z0-9_-]*$/.test(url)) return url;
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u0020\u007f-\u009f]/.test(url)) return undefined;
  try {
    const u = new URL(url);
    return ['http:', 'https:', 'mailto:'].includes(u.protocol) ? url : undefined;
  } catch {
    return undefined;
  }
}

/** `<a href="url">text</a>` for a safe target, the escaped text alone otherwise. */
export function link(url: string, text: string = url): string {
  const href = safeHref(url);
  return href === undefined ? escapeHtml(text) : `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
}
