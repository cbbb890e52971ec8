import * as vscode from 'vscode';
import { UpscaleParams } from '../core/api/params';
import { OutputError, replaceOriginal, saveAs, saveNextToOriginal, undoReplace, UndoRecord } from '../jobs/outputs';
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

  async perform(action: ResultAction, job: JobRecord, result: ResultRecord, report: Report = 'notify'): Promise<vscode.Uri | undefined> {
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
          return await this.replace(job, result);
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
          const record = this.undo.records.filter((r) => r.jobId === job.id && r.resultId === result.id).pop();
          return record ? await this.undoReplace(record) : undefined;
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

  /** Replaces the original, records how to undo it, and offers the undo at once. */
  private async replace(job: JobRecord, result: ResultRecord): Promise<vscode.Uri> {
    const settings = readSettings();
    const record = await replaceOriginal(job, result, {
      jpegQuality: settings.jpegQuality,
      keepOriginalSize: settings.keepOriginalSize,
      metadata: settings.keepMetadata,
      replaceWhenAspectDiffers: settings.replaceWhenAspectDiffers,
      images: this.runner.images,
    });
    await this.undo.push(record);
    await this.store.recordReplaced(job.id, result.id, record.at);
    const undoLabel = vscode.l10n.t('Undo');
    void vscode.window.showInformationMessage(vscode.l10n.t('Replaced {0} with the upscaled image.', vscode.workspace.asRelativePath(job.source)), undoLabel).then((choice) => {
      if (choice === undoLabel) void this.undoReplace(record).catch((err: Error) => vscode.window.showErrorMessage(err.message));
    });
    return job.source;
  }

  /** Restores the original of the given replace, or of the last one. */
  async undoReplace(record?: UndoRecord): Promise<vscode.Uri | undefined> {
    const target = record ?? this.undo.records[this.undo.records.length - 1];
    if (!target) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no replace to undo.'));
      return undefined;
    }
    const restored = await undoReplace(target);
    await this.undo.pop(target);
    const job = this.store.find(target.jobId);
    if (job?.results.some((r) => r.id === target.resultId)) await this.store.recordRestored(job.id, target.resultId);
    void vscode.window.showInformationMessage(vscode.l10n.t('Restored the original {0}.', vscode.workspace.asRelativePath(restored)));
    return restored;
  }
}
