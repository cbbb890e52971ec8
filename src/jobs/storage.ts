import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ClearPlan, planClear, planPrune, Retention, StoredJobFacts } from '../core/files/retention';
import { isEnded } from '../shared/jobState';
import { JobRecord, JobStore } from './jobStore';
import { UndoStack } from './undoStack';

export interface StorageOutcome {
  removed: number;
  /** Bytes of every job folder, before and after. */
  bytesBefore: number;
  bytesAfter: number;
}

/**
 * Keeps the extension's storage within the retention: prunes when the window has nothing to do
 * (a while after startup, after a run has ended, after the settings changed), never while a job
 * runs; the removal itself is `JobStore.remove`.
 */
export class StorageKeeper implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** One prune or clear at a time: two would measure and remove the same folders. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly jobs: JobStore,
    private readonly undo: UndoStack,
    private readonly retention: () => Retention,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables = [
      jobs.onDidChange((job) => {
        if (isEnded(job.state) && jobs.find(job.id) && jobs.runningCount === 0) this.schedule(afterRunMs);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('ideogramUpscale.keepResultsDays') || e.affectsConfiguration('ideogramUpscale.keepResultsMB')) this.schedule(afterSettingMs);
      }),
    ];
  }

  dispose(): void {
    clearTimeout(this.timer);
    vscode.Disposable.from(...this.disposables).dispose();
  }

  /** Prunes once the window has been quiet this long; a later call moves the moment. */
  schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A run started meanwhile: its end schedules the next prune.
      if (this.jobs.runningCount > 0) return;
      this.prune().catch((err: Error) => this.log.warn(`could not prune the stored results: ${err.message}`));
    }, delayMs);
  }

  prune(): Promise<StorageOutcome> {
    return this.serially(async () => {
      const facts = await this.facts();
      const plan = planPrune(facts, this.retention(), Date.now());
      if (plan.heldUnsaved.length) this.log.info(`kept ${plan.heldUnsaved.length} upscales over the retention whose results were never saved ("Clear Results" removes them)`);
      return this.removeMeasured(facts, plan.remove, 'retention', false);
    });
  }

  /** What Clear Results would remove, measured now. */
  async clearable(): Promise<ClearPlan> {
    return planClear(await this.serially(() => this.facts()));
  }

  /** Removes every ended job that no undo needs; with `includeUnsaved` false, those holding unsaved results stay. */
  clear(includeUnsaved: boolean): Promise<StorageOutcome> {
    return this.serially(async () => {
      const facts = await this.facts();
      const plan = planClear(facts);
      return this.removeMeasured(facts, [...plan.safe.ids, ...(includeUnsaved ? plan.unsaved.ids : [])], 'clear', includeUnsaved);
    });
  }

  private async removeMeasured(facts: StoredJobFacts[], ids: string[], why: string, includeUnsaved: boolean): Promise<StorageOutcome> {
    const bytesBefore = facts.reduce((n, f) => n + f.bytes, 0);
    // Asked again at the last moment: a replace (and its undo record) may have come while the folders were measured.
    const needed = new Set(this.undo.records.map((r) => r.jobId));
    const still = ids.filter((id) => {
      const job = this.jobs.find(id);
      return job && !needed.has(id) && (includeUnsaved || unsavedResults(job) === 0);
    });
    const removed = still.length ? await this.jobs.remove(still) : [];
    const gone = new Set(removed.map((j) => j.id));
    const bytesAfter = facts.filter((f) => !gone.has(f.id)).reduce((n, f) => n + f.bytes, 0);
    if (removed.length) this.log.info(`${why}: removed ${removed.length} upscales from the storage, ${bytesBefore} → ${bytesAfter} bytes`);
    return { removed: removed.length, bytesBefore, bytesAfter };
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async facts(): Promise<StoredJobFacts[]> {
    await this.jobs.loadHistory();
    const needed = new Set(this.undo.records.map((r) => r.jobId));
    return Promise.all(
      this.jobs.jobs.map(async (job) => ({
        id: job.id,
        endedAt: isEnded(job.state) ? (job.endedAt ?? job.startedAt) : undefined,
        bytes: await folderBytes(job.dir),
        neededByUndo: needed.has(job.id),
        unsavedResults: unsavedResults(job),
      })),
    );
  }
}

/** Results that exist only in the storage: never saved next to the original, never in its place. */
export function unsavedResults(job: JobRecord): number {
  return job.results.filter((r) => r.stored && r.saved.length === 0 && r.replacedAt === undefined).length;
}

/** A job's folder holds only files (its record, the source copy, the results). */
async function folderBytes(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const sizes = await Promise.all(names.map((n) => stat(join(dir, n)).then((s) => s.size, () => 0)));
  return sizes.reduce((a, b) => a + b, 0);
}

/** Long enough that startup, and a user looking at what just finished, are left alone. */
export const afterStartupMs = 60_000;
const afterRunMs = 10_000;
/** A limit the user just lowered should show at once. */
const afterSettingMs = 1_000;
