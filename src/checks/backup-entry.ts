import type { Plan } from '../core/plan.js';

/**
 * Whether a scheduled line backs up THIS client's database and documents (policy "Backups configured and
 * tested"), not just any job with "backup" in it (Debian's /etc/cron.daily/dpkg backs up the package
 * database). Pure. Two kinds pass:
 * - ours: `mokodeploy backup <id or client>` (it dumps the database and copies the documents);
 * - another tool's line naming both the client's database and its documents (dataRoot) or backupRoot.
 */
export function backsUpClient(
  line: string,
  plan: Pick<Plan, 'client' | 'id' | 'database' | 'target'>,
): boolean {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return false;
  const names = [plan.client, plan.id].filter((n): n is string => Boolean(n));
  if (/\bmokodeploy\b.*\bbackup\b/i.test(text) && names.some((n) => hasWord(text, n))) return true;
  const files = [plan.target.dataRoot, plan.target.backupRoot].filter(Boolean);
  return hasWord(text, plan.database.name) && files.some((f) => text.includes(f.replace(/\/+$/, '')));
}

/** A systemd timer counts when its unit name names the client (e.g. mokocrm-acme-backup.timer). */
export function timerBacksUpClient(unit: string, plan: Pick<Plan, 'client' | 'id'>): boolean {
  return /backup/i.test(unit) && [plan.client, plan.id].some((n) => n !== undefined && hasWord(unit, n));
}

function hasWord(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_-])${escaped}($|[^A-Za-z0-9_-])`).test(text);
}
