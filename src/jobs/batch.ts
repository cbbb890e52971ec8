import { setMaxListeners } from 'node:events';
import * as vscode from 'vscode';
import { ServiceProfile } from '../core/api/services';
import { UpscaleParams } from '../core/api/params';
import { JobRunner } from './jobRunner';
import { BatchInfo, JobOrigin, JobRecord } from './jobStore';

/** One file of a batch with its own parameters (each file may have its preset). */
export interface BatchItem {
  source: vscode.Uri;
  params: UpscaleParams;
  origin?: JobOrigin;
}

/**
 * Runs a batch: every job is queued at once and takes its turn from the window's in-flight limit
 * (the runner's), in order. A failed job does not stop the others; each one is handed to
 * `onEnded` as soon as it ends, so its results are saved while the rest still run.
 */
export async function runBatch(
  runner: JobRunner,
  items: BatchItem[],
  profile: ServiceProfile,
  signal: AbortSignal,
  onEnded: (job: JobRecord) => Promise<void>,
  batch?: BatchInfo,
): Promise<JobRecord[]> {
  // Added in order at once; their records are written side by side.
  const jobs = await Promise.all(items.map((item) => runner.enqueue(item.source, item.params, batch, item.origin)));
  // Every job of the batch listens to its signal at once.
  setMaxListeners(jobs.length + 10, signal);
  await Promise.all(jobs.map(async (job) => onEnded(await runner.run(job, profile, signal))));
  return jobs.map((j) => runner.store.find(j.id) ?? j);
}
