/**
 * Text for a terminal from data someone else wrote (a queue row, a worker's error line): control characters (ESC,
 * BEL, CR, backspace, …) are shown as `\xHH`, so a value cannot move the cursor, clear the screen, retitle the
 * window or write the clipboard (OSC 52). Tab and newline stay: they are layout, not commands.
 */
export function terminalText(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** One line of it: a newline is shown as `\n` too (a value cannot add a line that reads as another job's). */
export function terminalLine(text: string): string {
  return terminalText(text).replace(/\n/g, '\\n');
}
