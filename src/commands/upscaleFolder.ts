import * as vscode from 'vscode';
import { priceOf } from '../core/batch/plan';
import { DoneRecord } from '../core/batch/record';
import { UpscaleParams, variantsTarget } from '../core/api/params';
import { largestScale } from '../core/files/variants';
import { defaultTarget, parseTarget, runPasses, Target } from '../core/images/target';
import { sha256 } from '../core/files/hash';
import { readRecord, scanFolder, writeRecord } from '../batch/scanFolder';
import { JobStore } from '../jobs/jobStore';
import { OutputMode, readSettings } from '../settings';
import { pickFromPlan } from '../ui/folderPlan';
import { askParameters } from '../ui/parameterFlow';
import type { UpscaleOptions, UpscaleSummary } from './upscale';

export interface FolderDeps {
  upscale: (uris: vscode.Uri[], options: UpscaleOptions) => Thenable<UpscaleSummary | undefined>;
  jobs: JobStore;
  lastParams: () => UpscaleParams | undefined;
}

/** What `ideogramUpscale.upscaleFolder` returns: the plan's figures and what the run did. */
export interface FolderSummary {
  planned: number;
  skipped: number;
  price: { results: number; amount: number; currency: string };
  run?: UpscaleSummary;
}

/**
 * "Upscale Images in Folder…": scans the folder, shows the plan with its price, asks to confirm
 * above a threshold, runs it within the in-flight limit and records what is done, so a rerun
 * plans nothing again.
 */
export function upscaleFolderCommand(deps: FolderDeps) {
  return async (clicked?: unknown): Promise<FolderSummary | undefined> => {
    const folder = clicked instanceof vscode.Uri ? clicked : await pickFolder();
    if (!folder) return undefined;
    const root = vscode.workspace.getWorkspaceFolder(folder);
    if (!root) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} is not in a workspace folder; open it as one first.', folder.fsPath));
      return undefined;
    }
    const settings = readSettings();
    let record: DoneRecord | undefined;
    try {
      record = settings.recordDoneWork ? await readRecord(root) : undefined;
    } catch (err) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} Fix or delete it, then try again.', (err as Error).message));
      return undefined;
    }
    const label = vscode.workspace.asRelativePath(folder, false) === folder.fsPath ? root.name : `${vscode.workspace.asRelativePath(folder, false)}/`;
    const images = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Looking for images in {0}', label) }, () => scanFolder(folder, record));
    const likely = deps.lastParams() ?? settings.defaults;
    const numImages = likely.numImages ?? 1;
    const rules = { maxLongSide: settings.folder.largeImageLongSide, minLongSide: settings.folder.smallImageLongSide, maxUploadBytes: settings.maxUploadBytes, fileNamePattern: settings.fileNamePattern, variantPatterns: settings.variants.map((v) => v.pattern) };
    const price = (count: number, perImage = numImages) => priceOf(count, perImage, settings.price.perResult, settings.price.currency);
    // As the last run's parameters (or the defaults) would bill it, every pass of its target counted.
    const chosen = await pickFromPlan(label, images, rules, (picked) => price(runPasses(picked.map((i) => i.size), targetOfParams(likely, settings.variants), numImages).results, 1));
    if (chosen === undefined) return undefined;
    if (chosen.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to upscale in {0}: every image is done or left out.', label));
      return { planned: 0, skipped: images.length, price: price(0) };
    }
    const params = await askParameters(settings.defaults, deps.lastParams(), chosen.length, settings.variants.map((r) => `${r.pattern} (${r.scale}x)`).join(', '));
    if (!params) return undefined;
    const variants = params.target === variantsTarget;
    // Variants go where the setting says: there is no output to choose.
    const output = variants ? settings.output : settings.output === 'ask' ? await askOutput() : settings.output;
    if (!output) return undefined;
    // Every pass of the service is billed: a target above 2x costs two or three times as much.
    const passes = runPasses(chosen.map((image) => image.size), targetOfParams(params, settings.variants), params.numImages ?? 1);
    const total = price(passes.results, 1);
    if (total.amount > settings.price.confirmAbove || total.results > settings.price.confirmAboveResults) {
      // A step of the same quick input, not a dialog: it keeps the keyboard flow (and VS Code
      // refuses modal dialogs to extensions under test, so a dialog could not be proven).
      const go = vscode.l10n.t('Upscale {0} Images', chosen.length);
      const title =
        passes.passes > chosen.length
          ? vscode.l10n.t('Upscale {0} images of {1}? The target takes {2} passes of the service in all (it upscales up to 2x a pass), each billed: {3} results, about {4} {5}.', chosen.length, label, passes.passes, total.results, total.amount, total.currency)
          : vscode.l10n.t('Upscale {0} images of {1}? That is {2} results, about {3} {4}, billed by the service.', chosen.length, label, total.results, total.amount, total.currency);
      const answer = await vscode.window.showQuickPick([go, vscode.l10n.t('Cancel')], { title, ignoreFocusOut: true });
      if (answer !== go) return undefined;
    }
    const uris = chosen.map((image) => vscode.Uri.joinPath(root.uri, image.path));
    let run: UpscaleSummary | undefined;
    try {
      run = await deps.upscale(uris, { params, output, batch: label });
    } catch (err) {
      // The upscale command refuses the whole run before sending (a link in the folder to a file
      // outside the workspace, with output "replace"): a menu's user reads it in a notification.
      void vscode.window.showErrorMessage((err as Error).message);
      return { planned: chosen.length, skipped: images.length - chosen.length, price: total };
    }
    if (run && record) await recordDone(root, record, run, deps.jobs);
    return { planned: chosen.length, skipped: images.length - chosen.length, price: total, run };
  };
}

function targetOfParams(params: UpscaleParams, variants: readonly { pattern: string; scale: number }[]): Target {
  if (params.target === variantsTarget) return { kind: 'scale', factor: largestScale(variants) };
  return (params.target && parseTarget(params.target)) || defaultTarget;
}

async function pickFolder(): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: folders[0]?.uri,
    openLabel: vscode.l10n.t('Upscale Images in Folder'),
  });
  return picked?.[0];
}

async function askOutput(): Promise<Exclude<OutputMode, 'ask'> | undefined> {
  const items: (vscode.QuickPickItem & { value: Exclude<OutputMode, 'ask'> })[] = [
    { label: vscode.l10n.t('Save next to originals'), description: '{name}@upscaled.{ext}', value: 'nextToOriginal' },
    { label: vscode.l10n.t('Replace originals'), description: vscode.l10n.t('keeps path, format, transparency and colour profile; can be undone'), value: 'replace' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('What to do with the results'), ignoreFocusOut: true });
  return picked?.value;
}

/** Adds an entry for each image whose result was saved or replaced, and writes the record once. */
async function recordDone(root: vscode.WorkspaceFolder, record: DoneRecord, run: UpscaleSummary, jobs: JobStore): Promise<void> {
  let changed = false;
  for (const summary of run.jobs) {
    const job = jobs.find(summary.id);
    if (!job?.sourceHash || (!summary.replaced && summary.saved.length === 0)) continue;
    const written = summary.replaced ? job.source : vscode.Uri.parse(summary.saved[summary.saved.length - 1]);
    const bytes = await vscode.workspace.fs.readFile(written).then(
      (b) => b,
      () => undefined,
    );
    if (!bytes) continue;
    record.images[vscode.workspace.asRelativePath(job.source, false)] = {
      original: job.sourceHash,
      result: sha256(bytes),
      output: summary.replaced ? 'replace' : 'copy',
      service: readSettings().service,
      params: { ...job.params },
      date: new Date(job.endedAt ?? Date.now()).toISOString().slice(0, 10),
    };
    changed = true;
  }
  if (changed) await writeRecord(root, record);
}
