import type { DeploymentRecord } from './record.js';

export interface LessonHit {
  deploymentId: string;
  client: string;
  at: string;
  by: string;
  text: string;
  tags: string[];
}

/** Policy "Lessons learned repository": every word of the query must appear in the lesson or its tags. */
export function searchLessons(records: readonly DeploymentRecord[], query: string): LessonHit[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return records
    .flatMap((r) => r.lessons.map((l) => ({ deploymentId: r.id, client: r.client, ...l })))
    .filter((l) => {
      const hay = `${l.text} ${l.tags.join(' ')} ${l.client}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    })
    .sort((a, b) => b.at.localeCompare(a.at));
}
