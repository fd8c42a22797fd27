import { safeHref } from '../../../src/escape/html.js';
import type { Artifact } from './artifacts.js';

/**
 * The structure of a rendered artifact, as its reader sees it, without the values: two renders with the same
 * shape have the same directives, lines, jobs, options, tags and argv layout, whatever the values were.
 */
export function shapeOf(a: Artifact): string {
  switch (a.kind) {
    case 'refused':
      return 'refused';
    case 'nginx':
      return nginxShape(a.content);
    case 'apache':
      return lineShape(a.content.replace(/\\\n/g, ' '), '#', (l) => l.split(/\s+/)[0]!);
    case 'pool':
      return lineShape(a.content, ';', (l) => (l.startsWith('[') ? '[pool]' : l.split('=')[0]!.trim()));
    case 'cron':
      return lineShape(a.content, '#', (l) =>
        /^[A-Za-z_][A-Za-z0-9_]*=/.test(l) ? l.split('=')[0]! : l.split(/\s+/).slice(0, 6).join(' '),
      );
    case 'mycnf':
      return lineShape(a.content, '#', (l) => (l.startsWith('[') ? l : l.split('=')[0]!));
    case 'php':
      return lineShape(a.content, '//', (l) => l.replace(/=.*$/s, '='));
    case 'html':
      return htmlShape(a.content);
    case 'command':
      return commandShape(a);
    case 'listing':
      return `${a.content.split('\n').length} line(s)`;
    case 'text':
      return `${a.content.split('\n').length} line(s)`;
  }
}

function lineShape(text: string, comment: string, key: (line: string) => string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .map((l) => (l === '' ? '' : l.startsWith(comment) ? comment : key(l)))
    .join('\n');
}

/** nginx's tokenizer (ngx_conf_read_token) reduced to what matters: directive names, blocks, comments, quotes. */
export function nginxShape(text: string): string {
  const out: string[] = [];
  let words: string[] = [];
  let word = '';
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      word += 'v';
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      word += 'v';
    } else if (c === '#' && word === '') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (/\s/.test(c)) {
      if (word) words.push(word);
      word = '';
    } else if (c === ';' || c === '{' || c === '}') {
      if (word) words.push(word);
      out.push(`${words[0] ?? ''}${c}`);
      words = [];
      word = '';
    } else word += c;
  }
  return out.join(' ');
}

function htmlShape(html: string): string {
  const tags = [...html.matchAll(/<(\/?[a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)].map(
    ([, name, attrs]) => `${name}(${attributeNames(attrs!)})`,
  );
  const badLinks = [...html.matchAll(/href="([^"]*)"/g)].filter(
    ([, h]) => safeHref(decode(h!)) === undefined,
  );
  return `${tags.join(' ')}${badLinks.length ? ` UNSAFE LINKS ${badLinks.map((m) => m[1]).join(' ')}` : ''}`;
}

/** Attribute names as an HTML tokenizer reads them (quoted values skipped): a quote that broke out shows as a name. */
function attributeNames(attrs: string): string {
  const names: string[] = [];
  const re = /\s*([^\s=>]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?/gy;
  for (let m = re.exec(attrs); m && m[0] !== ''; m = re.exec(attrs)) names.push(m[1]!);
  return names.join(',');
}

const decode = (s: string) =>
  s.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!,
  );

/** argv layout: its length, the program, which words are options, and any `sh -c` script in full. */
function commandShape(a: Artifact): string {
  const argv = a.argv ?? [];
  const script = argv.findIndex((w, i) => w === '-c' && /^(sh|bash)$/.test(argv[i - 1] ?? ''));
  const words = argv.map((w, i) =>
    i === 0 ? w : i === script + 1 && script >= 0 ? `script:${w}` : w.startsWith('-') ? 'opt' : 'v',
  );
  return `${words.join(' ')} | stdin ${stdinShape(a.content)}`;
}

function stdinShape(stdin: string): string {
  try {
    return JSON.stringify(JSON.parse(stdin), (_k, v: unknown) => (typeof v === 'string' ? 's' : v));
  } catch {
    return `${stdin.split('\n').length} line(s)`;
  }
}
