import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { UpscaleParams } from '../core/api/params';
import { lastGroup } from '../core/files/undoGroups';
import { OutputError, replaceOriginal, saveAs, saveNextToOriginal, undoReplace, UndoRecord } from '../jobs/outputs';
import { PlannedVariant, writeVariant } from '../jobs/variantOutputs';
import { UndoStack } from '../jobs/undoStack';
import { JobRunner } from '../jobs/jobRunner';
import { JobRecord, ResultRecord } from '../jobs/jobStore';
import { PanelHandlers } from '../panel/resultsPanel';
import { ResultAction } from '../shared/protocol';
import { readSettings } from '../settings';

/** Upscales one file again with the given parameters (the upscale command, without its quick pick). */
export type Rerun = (source: vscode.Uri, params: UpscaleParams) => Thenable<unknown>;

/** How a refused action is reported: in a notification of its own, or only beside the job (a batch tells once). */
export type Report = 'notify' | 'quiet';

/**
 * What a user can do with a result, from the panel, a notification or a command. Each action
 * reports its own failure and returns what it wrote, for callers and tests.
 */
export class ResultActions implements PanelHandlers {
  constructor(
    private readonly runner: JobRunner,
    private readonly undo: UndoStack,
    private readonly rerun: Rerun,
    private readonly resume: (jobs: JobRecord[]) => Thenable<unknown>,
  ) {}

  private get store() {
    return this.runner.store;
  }

  onResultAction(action: ResultAction, job: JobRecord, resultId: string): void {
    const result = job.results.find((r) => r.id === resultId);
    if (result) void this.perform(action, job, result);
  }

  onCancel(job: JobRecord): void {
    this.runner.cancel(job.id);
  }

  onRetry(job: JobRecord): void {
    void this.rerun(job.source, { ...job.params });
  }

  onResume(job: JobRecord): void {
    void this.resume([job]);
  }

  canUndo(job: JobRecord, resultId: string): boolean {
    return this.undo.records.some((r) => r.jobId === job.id && r.resultId === resultId);
  }

  /** "Replace all" in the panel: one run of replaces, told in one notification and undone as one. */
  onReplaceAll(picks: { job: JobRecord; resultId: string }[]): void {
    void this.replaceAll(picks.flatMap(({ job, resultId }) => job.results.filter((r) => r.id === resultId).map((result) => ({ job, result }))));
  }

  async replaceAll(picks: { job: JobRecord; result: ResultRecord }[]): Promise<void> {
    const batch = randomUUID();
    let replaced = 0;
    for (const { job, result } of picks) if (await this.perform('replace', job, result, 'quiet', batch)) replaced++;
    if (replaced < picks.length) void vscode.window.showErrorMessage(vscode.l10n.t('{0} of {1} images were not replaced; each card says why.', picks.length - replaced, picks.length));
    if (replaced === 0) return;
    const undo = vscode.l10n.t('Undo All');
    void vscode.window.showInformationMessage(vscode.l10n.t('Replaced {0} images.', replaced), undo).then((choice) => {
      if (choice === undo) void this.undoBatch(batch);
    });
  }

  /**
   * Does what the user asked with a result. A `quiet` one (in a run) is told only beside the job
   * and its undo record joins `batch`, or else the job's run.
   */
  async perform(action: ResultAction, job: JobRecord, result: ResultRecord, report: Report = 'notify', batch?: string): Promise<vscode.Uri | undefined> {
    // A notification's button can outlive its result: Clear Results or a prune took it since.
    if (!this.store.find(job.id)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('This result was cleared from the extension\'s storage; copies saved in the workspace stay.'));
      return undefined;
    }
    // An earlier refusal no longer applies to a new action.
    if (job.actionError) await this.store.recordActionError(job.id, undefined);
    try {
      switch (action) {
        case 'replace':
          return await this.replace(job, result, report, batch);
        case 'saveNext': {
          const settings = readSettings();
          const saved = await saveNextToOriginal(job, result, settings.fileNamePattern, settings.keepMetadata, this.runner.images);
          await this.store.recordSaved(job.id, result.id, saved);
          return saved;
        }
        case 'saveAs': {
          const saved = await saveAs(job, result, readSettings().keepMetadata, this.runner.images);
          if (saved) await this.store.recordSaved(job.id, result.id, saved);
          return saved;
        }
        case 'open':
        case 'reveal': {
          const target = result.saved.length ? vscode.Uri.parse(result.saved[result.saved.length - 1]) : result.stored && vscode.Uri.file(result.stored.path);
          // Beside the panel, so the comparison stays in view.
          if (target && action === 'open') await vscode.commands.executeCommand('vscode.open', target, { viewColumn: vscode.ViewColumn.Beside, preview: true });
          if (target && action === 'reveal') await vscode.commands.executeCommand('revealInExplorer', target);
          return target;
        }
        case 'runAgain':
          await this.rerun(job.source, { ...job.params, seed: result.seed ?? job.params.seed });
          return undefined;
        case 'undo': {
          // This image's replace alone, even when it was made with a whole run's.
          const record = this.undo.records.filter((r) => r.jobId === job.id && r.resultId === result.id).pop();
          return record ? (await this.undoRecords([record]))[0] : undefined;
        }
      }
    } catch (err) {
      const message = err instanceof OutputError ? err.message : vscode.l10n.t('Could not finish: {0}', (err as Error).message);
      // Said in the panel beside the result, and (unless a batch tells it) in a notification.
      await this.store.recordActionError(job.id, message);
      if (report === 'notify') void vscode.window.showErrorMessage(message);
      return undefined;
    }
  }

  /**
   * Replaces the original and records how to undo it. Alone, the undo is offered at once; in a
   * run (`quiet`), the record carries the run's id and the run ends with one "Undo All".
   */
  private async replace(job: JobRecord, result: ResultRecord, report: Report, batch = job.batch?.id): Promise<vscode.Uri> {
    const settings = readSettings();
    const record: UndoRecord = {
      ...(await replaceOriginal(job, result, {
        jpegQuality: settings.jpegQuality,
        keepOriginalSize: settings.keepOriginalSize,
        metadata: settings.keepMetadata,
        replaceWhenAspectDiffers: settings.replaceWhenAspectDiffers,
        images: this.runner.images,
      })),
      batch: report === 'quiet' ? batch : undefined,
    };
    await this.undo.push(record);
    await this.store.recordReplaced(job.id, result.id, record.at);
    if (report === 'notify') {
      const undoLabel = vscode.l10n.t('Undo');
      void vscode.window.showInformationMessage(vscode.l10n.t('Replaced {0} with the upscaled image.', vscode.workspace.asRelativePath(job.source)), undoLabel).then((choice) => {
        if (choice === undoLabel) void this.undoRecords([record]);
      });
    }
    return job.source;
  }

  /**
   * Writes the variants of a result; those that exist already only with `overwrite` (the user
   * said so), each with an undo record of the run. A refusal is kept beside the job, and thrown.
   */
  async writeVariants(job: JobRecord, result: ResultRecord, variants: readonly PlannedVariant[], overwrite: boolean): Promise<vscode.Uri[]> {
    const settings = readSettings();
    const written: vscode.Uri[] = [];
    try {
      for (const variant of variants) {
        const record = await writeVariant(job, result, variant, overwrite && variant.exists, { jpegQuality: settings.jpegQuality, metadata: settings.keepMetadata, images: this.runner.images });
        if (record) await this.undo.push(record);
        await this.store.recordSaved(job.id, result.id, variant.uri);
        written.push(variant.uri);
      }
    } catch (err) {
      await this.refused(job, err instanceof OutputError ? err.message : vscode.l10n.t('Could not finish: {0}', (err as Error).message));
      throw err;
    }
    return written;
  }

  /** A refusal said beside the job; a run tells its refusals once, at its end. */
  async refused(job: JobRecord, message: string): Promise<void> {
    await this.store.recordActionError(job.id, message);
  }

  /** "Undo Last Replace": the newest replace, or every replace of the run it was made in. */
  async undoReplace(): Promise<vscode.Uri[]> {
    const group = lastGroup(this.undo.records);
    if (group.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no replace to undo.'));
      return [];
    }
    return this.undoRecords(group);
  }

  /** The "Undo All" of a run's notification: what of that run can still be undone. */
  undoBatch(batch: string): Promise<vscode.Uri[]> {
    return this.undoRecords(this.undo.records.filter((r) => r.batch === batch));
  }

  /**
   * Puts back the originals of these replaces. A file changed since its replace is left alone
   * (its record stays, should the change be undone) and named; the others are restored.
   */
  private async undoRecords(records: readonly UndoRecord[]): Promise<vscode.Uri[]> {
    const restored: vscode.Uri[] = [];
    const refused: { name: string; why: string }[] = [];
    for (const record of records) {
      try {
        restored.push(await undoReplace(record));
      } catch (err) {
        const uri = vscode.Uri.parse(record.source);
        refused.push({ name: vscode.workspace.asRelativePath(uri), why: err instanceof OutputError ? err.message : (err as Error).message });
        continue;
      }
      await this.undo.pop(record);
      const job = this.store.find(record.jobId);
      if (job?.results.some((r) => r.id === record.resultId && r.replacedAt !== undefined) && job.source.toString() === record.source) await this.store.recordRestored(job.id, record.resultId);
    }
    if (refused.length === 1 && records.length === 1) {
      void vscode.window.showErrorMessage(refused[0].why);
    } else if (refused.length) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Restored {0} of {1} originals. Not restored, since they changed after they were replaced (undo would overwrite those changes): {2}', restored.length, records.length, refused.map((r) => r.name).join(', ')));
    } else if (restored.length === 1) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Restored the original {0}.', vscode.workspace.asRelativePath(restored[0])));
    } else {
      void vscode.window.showInformationMessage(vscode.l10n.t('Restored {0} originals.', restored.length));
    }
    return restored;
  }
}
