import * as vscode from 'vscode';
import { JobRunner } from '../jobs/jobRunner';
import { JobRecord } from '../jobs/jobStore';
import { ApiKeyStore } from '../secrets';
import { readSettings, serviceProfile } from '../settings';
import { ResultActions } from './resultActions';
import { deliver } from './upscale';

export interface ResumeDeps {
  runner: JobRunner;
  keys: ApiKeyStore;
  actions: ResultActions;
}

/**
 * After the window reopens: one notification per interrupted run, "Upscale of assets/ was
 * interrupted: 37 of 120 left", with Resume. Jobs whose task the service has are polled, never
 * sent again; jobs not yet sent are sent; a job that may have been billed without an answer is
 * left to the user's "Run again".
 */
export async function offerResume(deps: ResumeDeps): Promise<void> {
  await deps.runner.store.loadHistory();
  const runs = new Map<string, JobRecord[]>();
  for (const job of deps.runner.store.jobs) {
    if (job.failureKind !== 'interrupted' || !job.batch) continue;
    runs.set(job.batch.id, [...(runs.get(job.batch.id) ?? []), job]);
  }
  for (const jobs of runs.values()) {
    const left = jobs.filter((j) => j.resumable);
    if (left.length === 0) continue;
    const resume = vscode.l10n.t('Resume');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Upscale of {0} was interrupted: {1} of {2} left.', jobs[0].batch!.label, left.length, jobs.length), resume);
    if (choice === resume) await resumeRun(deps, left);
  }
}

/** Takes up interrupted jobs: those with a task by polling it, the others by sending them. */
export async function resumeRun(deps: ResumeDeps, asked: JobRecord[]): Promise<void> {
  // Each job once: one taken up from its card meanwhile is no longer interrupted.
  const jobs = asked.filter((j) => deps.runner.store.find(j.id)?.resumable !== undefined);
  if (jobs.length === 0) return;
  const settings = readSettings();
  const key = await deps.keys.get(settings.service);
  if (!key) {
    void vscode.window.showErrorMessage(vscode.l10n.t('No API key is stored for this service; run "Ideogram: Set API Key", then resume again.'));
    return;
  }
  const profile = serviceProfile(settings, key);
  const output = jobs[0].batch?.output ?? 'ask';
  const label = jobs[0].batch?.label ?? '';
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Resuming the upscale of {0}', label), cancellable: true }, async (_progress, token) => {
    const abort = new AbortController();
    const onCancel = token.onCancellationRequested(() => abort.abort());
    try {
      await Promise.all(
        jobs.map(async (interrupted) => {
          const how = deps.runner.store.find(interrupted.id)?.resumable;
          const job = await deps.runner.store.reopen(interrupted.id);
          const ended = how === 'poll' ? await deps.runner.resume(job, profile, abort.signal) : await deps.runner.run(job, profile, abort.signal);
          await deliver(ended, output, deps);
        }),
      );
    } finally {
      onCancel.dispose();
    }
  });
  const done = jobs.map((j) => deps.runner.store.find(j.id)).filter((j) => j?.state === 'done').length;
  void vscode.window.showInformationMessage(vscode.l10n.t('Resumed {0}: {1} of {2} done.', label, done, jobs.length));
}
