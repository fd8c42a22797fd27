/**
 * The loud half of the record count (issue 15): each file's records as counted by the second
 * scanner (record-count.ts) must equal what the reader gave (rows + rejects), else the run writes
 * nothing and says which file and by how much. A difference is a reader bug, never the file's fault.
 */
export function recordCountProblems(jobs: { file: string; read: number; scanned: number }[]): string[] {
  return jobs
    .filter((j) => j.read !== j.scanned)
    .map((j) => `${j.file} has ${j.scanned} record(s) by the record count, the reader gave ${j.read} (${Math.abs(j.scanned - j.read)} ${j.read < j.scanned ? 'missing' : 'too many'}; keep the file and report this as a bug)`);
}
