/**
 * Which jobs the extension's storage may let go of. No `vscode` here: the facts are measured by
 * `src/jobs/storage.ts` and the removal is `JobStore.remove`.
 */

export interface StoredJobFacts {
  id: string;
  /** When the job ended; undefined while it runs (never removed). */
  endedAt: number | undefined;
  /** Bytes of its folder: the source copy (an undo's backup), the results, its record. */
  bytes: number;
  /** An undo record points at its backup: kept, and not counted against the limit. */
  neededByUndo: boolean;
  /** Results only the storage holds (never saved nor replaced): removed only when the user says so. */
  unsavedResults: number;
}

export interface Retention {
  /** 0: no limit by age. */
  maxAgeMs: number;
  /** 0: no limit by size. */
  maxBytes: number;
}

export interface PrunePlan {
  remove: string[];
  /** Over the retention, but holding results never saved: kept until Clear Results. */
  heldUnsaved: string[];
  /** What the limit counts, before and after the plan (what undo needs is left out). */
  countedBefore: number;
  countedAfter: number;
}

/** Oldest first, whichever limit is reached first; never what an undo needs, a running job or an unsaved result. */
export function planPrune(jobs: readonly StoredJobFacts[], retention: Retention, now: number): PrunePlan {
  const counted = jobs.filter((j) => !j.neededByUndo);
  const countedBefore = sum(counted);
  let total = countedBefore;
  const remove: string[] = [];
  const heldUnsaved: string[] = [];
  const ended = counted.filter((j) => j.endedAt !== undefined).sort((a, b) => (a.endedAt as number) - (b.endedAt as number));
  for (const job of ended) {
    const tooOld = retention.maxAgeMs > 0 && now - (job.endedAt as number) > retention.maxAgeMs;
    const tooMuch = retention.maxBytes > 0 && total > retention.maxBytes;
    if (!tooOld && !tooMuch) continue;
    if (job.unsavedResults > 0) {
      heldUnsaved.push(job.id);
      continue;
    }
    remove.push(job.id);
    total -= job.bytes;
  }
  return { remove, heldUnsaved, countedBefore, countedAfter: total };
}

export interface ClearPlan {
  /** Ended jobs whose results are saved, replaced, withheld or never came: nothing is lost. */
  safe: { ids: string[]; bytes: number };
  /** Ended jobs holding results never saved: only with the user's yes. */
  unsaved: { ids: string[]; bytes: number; results: number };
  keptForUndo: number;
  running: number;
}

export function planClear(jobs: readonly StoredJobFacts[]): ClearPlan {
  const plan: ClearPlan = { safe: { ids: [], bytes: 0 }, unsaved: { ids: [], bytes: 0, results: 0 }, keptForUndo: 0, running: 0 };
  for (const job of jobs) {
    if (job.endedAt === undefined) plan.running++;
    else if (job.neededByUndo) plan.keptForUndo++;
    else if (job.unsavedResults > 0) {
      plan.unsaved.ids.push(job.id);
      plan.unsaved.bytes += job.bytes;
      plan.unsaved.results += job.unsavedResults;
    } else {
      plan.safe.ids.push(job.id);
      plan.safe.bytes += job.bytes;
    }
  }
  return plan;
}

/** Megabytes as a person reads them: one decimal, and never "0.0" for something that is there. */
export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (bytes > 0 && mb < 0.1) return '0.1';
  return mb >= 100 ? String(Math.round(mb)) : mb.toFixed(1);
}

function sum(jobs: readonly StoredJobFacts[]): number {
  return jobs.reduce((n, j) => n + j.bytes, 0);
}
