import { setMaxListeners } from 'node:events';
import * as vscode from 'vscode';
import { ServiceProfile } from '../core/api/services';
import { UpscaleParams } from '../core/api/params';
import { InFlightLimit } from '../core/batch/inFlight';
import { JobRunner } from './jobRunner';
import { BatchInfo, JobOrigin, JobRecord } from './jobStore';

/** One file of a batch with its own parameters (each file may have its preset). */
export interface BatchItem {
  source: vscode.Uri;
  params: UpscaleParams;
  origin?: JobOrigin;
}

/**
 * Runs a batch: every job is queued (its record written a few at a time, in order) and takes its
 * turn from the window's in-flight limit (the runner's), in order. A failed job does not stop the
 * others; each one is handed to `onEnded` as soon as it ends, so its results are saved while the
 * rest still run.
 */
export async function runBatch(
  runner: JobRunner,
  items: BatchItem[],
  profile: ServiceProfile,
  signal: AbortSignal,
  onEnded: (job: JobRecord) => Promise<void>,
  batch?: BatchInfo,
): Promise<JobRecord[]> {
  // Every job of the batch listens to its signal at once.
  setMaxListeners(items.length + 10, signal);
  // Each job runs once its record is on disk, in order. 200 records asked for at once kept the
  // first uploads 250 ms waiting behind them in the thread pool; a few at a time, they do not.
  const adding = new InFlightLimit(() => addingAtOnce);
  let previous: Promise<unknown> = Promise.resolve();
  const turns = items.map((item) => {
    const added = adding.acquire(1).then((release) => runner.enqueue(item.source, item.params, batch, item.origin).finally(release));
    const turn = Promise.all([added, previous]).then(([job]) => job);
    previous = turn;
    return turn;
  });
  const ended = turns.map((turn) => turn.then(async (job) => onEnded(await runner.run(job, profile, signal))));
  const jobs = await Promise.all(turns);
  await Promise.all(ended);
  return jobs.map((j) => runner.store.find(j.id) ?? j);
}

/** How many records of a batch's new jobs are written at once. */
const addingAtOnce = 8;
