import * as vscode from 'vscode';
import { outputName } from '../core/files/naming';
import { JobRunner } from '../jobs/jobRunner';
import { JobRecord } from '../jobs/jobStore';
import { ApiKeyStore } from '../secrets';
import { readSettings, serviceProfile } from '../settings';
import { ResultActions } from './resultActions';
import { deliver } from './runOutcome';

/** Jobs being taken up: a second Resume while the first still waits for the key does nothing. */
const claimed = new Set<string>();

export interface ResumeDeps {
  runner: JobRunner;
  keys: ApiKeyStore;
  actions: ResultActions;
}

/**
 * After the window reopens: one notification per interrupted run, "Upscale of assets/ was
 * interrupted: 37 of 120 left", with Resume. Jobs whose task the service has are polled, never
 * sent again; jobs not yet sent are sent; jobs done but not yet saved are saved; a job that may
 * have been billed without an answer is left to the user's "Run again".
 */
export async function offerResume(deps: ResumeDeps): Promise<void> {
  await deps.runner.store.loadHistory();
  const runs = new Map<string, JobRecord[]>();
  for (const job of deps.runner.store.jobs) {
    if (job.batch) runs.set(job.batch.id, [...(runs.get(job.batch.id) ?? []), job]);
  }
  // Every interrupted run is offered at once, each in its own notification: one left unanswered
  // does not hide the others.
  const offers = [...runs.values()].map(async (jobs) => {
    const left = jobs.filter((j) => (j.failureKind === 'interrupted' && j.resumable) || undelivered(j));
    if (left.length === 0) return;
    const resume = vscode.l10n.t('Resume');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Upscale of {0} was interrupted: {1} of {2} left.', jobs[0].batch!.label, left.length, jobs.length), resume);
    if (choice === resume) await resumeRun(deps, left);
  });
  await Promise.all(offers);
}

/** Takes up interrupted jobs: those with a task by polling it, the others by sending them. */
export async function resumeRun(deps: ResumeDeps, asked: JobRecord[]): Promise<void> {
  // Each job once, whichever way it is asked (its card, the notification), claimed before any wait.
  const jobs = asked.filter((j) => {
    const now = deps.runner.store.find(j.id);
    return !claimed.has(j.id) && now !== undefined && (now.resumable !== undefined || undelivered(now));
  });
  for (const job of jobs) claimed.add(job.id);
  if (jobs.length === 0) return;
  const settings = readSettings();
  // A job sent to Ideogram's current upscalers (its parameters name a model) is polled there,
  // whichever service is chosen now: its generation is known nowhere else.
  const v2 = jobs.some((j) => j.params.model !== undefined);
  const key = await deps.keys.get(v2 ? 'ideogramV2' : settings.service);
  if (!key) {
    void vscode.window.showErrorMessage(vscode.l10n.t('No API key is stored for this service; run "Ideogram: Set API Key", then resume again.'));
    for (const job of jobs) claimed.delete(job.id);
    return;
  }
  const profile = serviceProfile(v2 ? { ...settings, service: 'ideogramV2' } : settings, key);
  const output = jobs[0].batch?.output ?? 'ask';
  const label = jobs[0].batch?.label ?? '';
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Resuming the upscale of {0}', label), cancellable: true }, async (_progress, token) => {
    const abort = new AbortController();
    const onCancel = token.onCancellationRequested(() => abort.abort());
    try {
      await Promise.all(
        jobs.map(async (interrupted) => {
          const now = deps.runner.store.find(interrupted.id);
          if (now && undelivered(now)) {
            // The window may have closed between writing the copy and recording it.
            if (output === 'nextToOriginal' && (await adoptWrittenCopy(deps, now))) return;
            return deliver(now, output, deps);
          }
          const how = now?.resumable;
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

/** Done when the window closed, but its results not yet saved or put in place as its run asked. */
function undelivered(job: JobRecord): boolean {
  return (
    job.state === 'done' &&
    job.batch !== undefined &&
    job.batch.output !== 'ask' &&
    job.actionError === undefined &&
    job.results.some((r) => r.stored) &&
    job.results.every((r) => r.saved.length === 0 && r.replacedAt === undefined)
  );
}

/**
 * A copy beside the original written after the job ended is this job's: recorded, not written
 * again under the next free name.
 */
async function adoptWrittenCopy(deps: ResumeDeps, job: JobRecord): Promise<boolean> {
  const result = job.results.find((r) => r.stored);
  if (!result || job.endedAt === undefined) return false;
  const name = job.source.path.slice(job.source.path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot + 1)] : [name, ''];
  const pattern = readSettings().fileNamePattern;
  for (let n = 1; n <= 20; n++) {
    const candidate = vscode.Uri.joinPath(job.source, '..', outputName(stem, ext, n, pattern));
    const stat = await vscode.workspace.fs.stat(candidate).then(
      (s) => s,
      () => undefined,
    );
    if (!stat) return false;
    if (stat.mtime >= job.endedAt) {
      await deps.runner.store.recordSaved(job.id, result.id, candidate);
      return true;
    }
  }
  return false;
}
