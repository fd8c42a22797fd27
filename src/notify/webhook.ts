/**
 * The chat message of an event: Slack, Mattermost and Teams incoming webhooks all take `{"text": ...}`. `&`, `<`
 * and `>` are escaped as Slack asks, so a value like `<!channel>` cannot ping a channel or forge a link.
 */
export function chatText(subject: string, text: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `*${esc(subject)}*\n${esc(text.trim())}`;
}

export function webhookBody(text: string): string {
  return JSON.stringify({ text });
}
