import * as vscode from 'vscode';
import { variantsTarget } from '../core/api/params';
import { JobRecord } from '../jobs/jobStore';
import { OutputError } from '../jobs/outputs';
import { planVariants, PlannedVariant } from '../jobs/variantOutputs';
import { ApiKeyStore } from '../secrets';
import { OutputMode, readSettings } from '../settings';
import { askApiKey } from '../ui/apiKeyInput';
import { ResultActions } from './resultActions';

/** What a run's end needs: where results go, and how to tell the user. */
export interface OutcomeDeps {
  actions: ResultActions;
  keys: ApiKeyStore;
  showPanel: () => void;
}

/** A finished job's variants whose files exist already, kept until the user decides. */
export interface PendingVariants {
  job: JobRecord;
  result: JobRecord['results'][number];
  variants: PlannedVariant[];
}

/**
 * Puts a finished job's results where the output mode says, or its variants where the setting
 * says (those that exist already are put aside, to be confirmed); a refusal is kept beside the
 * job and told once at the end.
 */
export async function deliver(job: JobRecord, output: OutputMode, deps: Pick<OutcomeDeps, 'actions'>, existing: PendingVariants[] = []): Promise<void> {
  if (job.state !== 'done') return;
  const usable = job.results.filter((r) => r.stored);
  if (job.params.target === variantsTarget) {
    if (!usable[0]) return;
    try {
      const planned = await planVariants(job, job.batch?.variants ?? []);
      await deps.actions.writeVariants(job, usable[0], planned.filter((v) => !v.exists), false);
      const taken = planned.filter((v) => v.exists);
      if (taken.length) existing.push({ job, result: usable[0], variants: taken });
    } catch (err) {
      await deps.actions.refused(job, err instanceof OutputError ? err.message : vscode.l10n.t('Could not finish: {0}', (err as Error).message));
    }
    return;
  }
  if (output === 'ask') return;
  if (output === 'replace' && usable[0]) await deps.actions.perform('replace', job, usable[0], 'quiet');
  if (output === 'nextToOriginal') for (const result of usable) await deps.actions.perform('saveNext', job, result, 'quiet');
}

/** One notification for the whole run: the first failure with its next step, or what to do with the results. */
export function notifyOutcome(jobs: JobRecord[], output: OutputMode | 'variants', deps: OutcomeDeps, existing: PendingVariants[]): void {
  if (existing.length) void confirmOverwrite(existing, deps);
  const failed = jobs.filter((j) => j.failure !== undefined || j.actionError !== undefined);
  const show = vscode.l10n.t('Show Results');
  if (failed.length > 0) {
    const first = failed[0];
    const setKey = vscode.l10n.t('Set API Key');
    const actions = first.failureKind === 'auth' ? [setKey, show] : [show];
    const reason = first.failure ?? first.actionError ?? '';
    const text = failed.length === 1 ? `${baseName(first.source)}: ${reason}` : vscode.l10n.t('{0} of {1} images failed. {2}: {3}', failed.length, jobs.length, baseName(first.source), reason);
    void vscode.window.showErrorMessage(text, ...actions).then((choice) => {
      if (choice === setKey) void askApiKey(deps.keys, readSettings().service);
      if (choice === show) deps.showPanel();
    });
    if (output === 'replace') notifyReplaced(jobs, deps);
    return;
  }
  const done = jobs.filter((j) => j.state === 'done' && j.results.some((r) => r.stored));
  if (done.length === 0) return;
  if (output === 'ask') {
    const replace = vscode.l10n.t('Replace Original');
    const save = vscode.l10n.t('Save Next to Original');
    const message = done.length === 1 ? vscode.l10n.t('{0} is upscaled.', baseName(done[0].source)) : vscode.l10n.t('{0} images are upscaled.', done.length);
    void vscode.window.showInformationMessage(message, replace, save, show).then(async (choice) => {
      // Many replaced at once are told, and undone, as one.
      const report = done.length > 1 ? 'quiet' : 'notify';
      for (const job of choice === replace || choice === save ? done : []) {
        const result = job.results.find((r) => r.stored);
        if (result) await deps.actions.perform(choice === replace ? 'replace' : 'saveNext', job, result, report);
      }
      if (choice === replace && report === 'quiet') notifyReplaced(done, deps);
      if (choice === show) deps.showPanel();
    });
  } else if (output === 'replace') {
    notifyReplaced(jobs, deps);
  } else {
    const saved = done.flatMap((j) => j.results.flatMap((r) => r.saved));
    if (saved.length === 0) return;
    const open = vscode.l10n.t('Open');
    const message = saved.length === 1 ? vscode.l10n.t('Saved {0}', vscode.workspace.asRelativePath(vscode.Uri.parse(saved[0]))) : vscode.l10n.t('Saved {0} upscaled images', saved.length);
    void vscode.window.showInformationMessage(message, open).then((choice) => {
      if (choice && saved[0]) void vscode.commands.executeCommand('vscode.open', vscode.Uri.parse(saved[0]));
    });
  }
}

/** "Replaced 40 images — Undo All": one notification for a run's replaces, and one undo for them all. */
function notifyReplaced(jobs: JobRecord[], deps: OutcomeDeps): void {
  const replaced = jobs.filter((j) => j.results.some((r) => r.replacedAt !== undefined));
  const batch = replaced[0]?.batch?.id;
  if (!batch) return;
  const undo = replaced.length === 1 ? vscode.l10n.t('Undo') : vscode.l10n.t('Undo All');
  const message = replaced.length === 1 ? vscode.l10n.t('Replaced {0} with the upscaled image.', vscode.workspace.asRelativePath(replaced[0].source)) : vscode.l10n.t('Replaced {0} images.', replaced.length);
  void vscode.window.showInformationMessage(message, undo).then((choice) => {
    if (choice === undo) void deps.actions.undoBatch(batch);
  });
}

/** Variants that exist already are overwritten only after a yes, each with its undo (one for them all). */
async function confirmOverwrite(existing: PendingVariants[], deps: OutcomeDeps): Promise<void> {
  const files = existing.flatMap((p) => p.variants.map((v) => vscode.workspace.asRelativePath(v.uri)));
  const overwrite = vscode.l10n.t('Overwrite');
  const shown = files.length > 5 ? `${files.slice(0, 5).join(', ')}, …` : files.join(', ');
  const choice = await vscode.window.showWarningMessage(vscode.l10n.t('{0} variants exist already: {1}. Overwrite them? This can be undone.', files.length, shown), overwrite, vscode.l10n.t('Keep Existing'));
  if (choice !== overwrite) return;
  let written = 0;
  for (const pending of existing) {
    written += (await deps.actions.writeVariants(pending.job, pending.result, pending.variants, true).catch(() => [])).length;
  }
  const batch = existing[0].job.batch?.id;
  const undo = vscode.l10n.t('Undo All');
  const choice2 = await vscode.window.showInformationMessage(vscode.l10n.t('Overwrote {0} variants.', written), undo);
  if (choice2 === undo && batch) await deps.actions.undoBatch(batch);
}

function baseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}
