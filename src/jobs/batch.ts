import * as vscode from 'vscode';
import { ServiceProfile } from '../core/api/services';
import { UpscaleParams } from '../core/api/params';
import { JobRunner } from './jobRunner';
import { JobRecord } from './jobStore';

/**
 * Runs a batch with at most `concurrency` jobs in flight (the service counts images in flight
 * against a per-account limit). A failed job does not stop the others; each one is handed to
 * `onEnded` as soon as it ends, so its results are saved while the rest still run.
 */
export async function runBatch(
  runner: JobRunner,
  sources: vscode.Uri[],
  params: UpscaleParams,
  profile: ServiceProfile,
  concurrency: number,
  signal: AbortSignal,
  onEnded: (job: JobRecord) => Promise<void>,
): Promise<JobRecord[]> {
  const jobs: JobRecord[] = [];
  for (const source of sources) jobs.push(await runner.enqueue(source, params));
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      await onEnded(await runner.run(job, profile, signal));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  return jobs.map((j) => runner.store.find(j.id) ?? j);
}
