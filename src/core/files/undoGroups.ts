/**
 * Replaces are undone as the user made them: one at a time, or a whole run's at once. Records of
 * one run share its `batch` id; a record without one stands alone. No `vscode` here: the records
 * are kept by `src/jobs/undoStack.ts`.
 */
export interface Groupable {
  batch?: string;
}

/** The records of the newest replace, or of the whole run it belonged to; oldest first. */
export function lastGroup<T extends Groupable>(records: readonly T[]): T[] {
  const last = records[records.length - 1];
  if (!last) return [];
  if (last.batch === undefined) return [last];
  return records.filter((r) => r.batch === last.batch);
}

/** How many groups (single replaces and whole runs) the records hold. */
export function groupCount(records: readonly Groupable[]): number {
  return new Set(records.map((r, i) => r.batch ?? `#${i}`)).size;
}

/**
 * Keeps the newest `limit` groups, each whole: a run of 60 replaces is never cut in half, so its
 * "Undo all" restores every file, and the backups of what is dropped may be pruned.
 */
export function keepNewestGroups<T extends Groupable>(records: readonly T[], limit: number): T[] {
  const keys = records.map((r, i) => r.batch ?? `#${i}`);
  const kept = new Set<string>();
  for (let i = keys.length - 1; i >= 0 && kept.size <= limit; i--) {
    if (kept.size === limit && !kept.has(keys[i])) break;
    kept.add(keys[i]);
  }
  return records.filter((_, i) => kept.has(keys[i]));
}
