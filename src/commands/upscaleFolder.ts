import * as vscode from 'vscode';
import { makePlan, priceOf, ScannedImage } from '../core/batch/plan';
import { imagesToQuote, QuotedPrice, quotedPrice } from '../core/batch/quotes';
import { PriceQuote } from '../core/api/generations';
import { isUpscalable } from '../core/images/format';
import type { Quoter } from './dryRunQuotes';
import { DoneRecord } from '../core/batch/record';
import { UpscaleParams, variantsTarget } from '../core/api/params';
import { ServiceKind } from '../core/api/services';
import { largestScale } from '../core/files/variants';
import { defaultTarget, parseTarget, runPasses, Target } from '../core/images/target';
import { sha256 } from '../core/files/hash';
import { readRecord, scanFolder, writeRecord } from '../batch/scanFolder';
import { JobStore } from '../jobs/jobStore';
import { defaultsFor, OutputMode, readSettings } from '../settings';
import { pickFromPlan } from '../ui/folderPlan';
import { askParameters } from '../ui/parameterFlow';
import type { UpscaleOptions, UpscaleSummary } from './upscale';
import { batchItems, mappedPresets } from './presetChoice';
import { presetsFor, PresetFileError, WorkspacePresets, showPresetFileError } from '../batch/presetFile';

export interface FolderDeps {
  upscale: (uris: vscode.Uri[], options: UpscaleOptions) => Thenable<UpscaleSummary | undefined>;
  jobs: JobStore;
  /** "Same as last time" of this service. */
  lastParams: (service: ServiceKind) => UpscaleParams | undefined;
  /** The service's dry runs, for the exact price of a v2 run. */
  quote: Quoter;
}

/** What `ideogramUpscale.upscaleFolder` returns: the plan's figures and what the run did. */
export interface FolderSummary {
  planned: number;
  skipped: number;
  /** `exact` when it is the sum of the service's quotes, not the estimate from settings. */
  price: { results: number; amount: number; currency: string; exact: boolean };
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
    let presets: WorkspacePresets;
    try {
      presets = await presetsFor([folder]);
    } catch (err) {
      if (!(err instanceof PresetFileError)) throw err;
      showPresetFileError(err);
      return undefined;
    }
    const label = vscode.workspace.asRelativePath(folder, false) === folder.fsPath ? root.name : `${vscode.workspace.asRelativePath(folder, false)}/`;
    const images = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Looking for images in {0}', label) }, () => scanFolder(folder, record));
    const last = deps.lastParams(settings.service);
    const planParams = last ?? defaultsFor(settings);
    const rules = { maxLongSide: settings.folder.largeImageLongSide, minLongSide: settings.folder.smallImageLongSide, maxUploadBytes: settings.maxUploadBytes, fileNamePattern: settings.fileNamePattern, variantPatterns: settings.variants.map((v) => v.pattern) };
    const v2 = settings.service === 'ideogramV2';
    // Quotes by image size and parameter set, kept for the run: the plan's and the confirmation's.
    const quotes = new Map<string, PriceQuote | undefined>();
    const quote = async (params: UpscaleParams, list: readonly ScannedImage[]) => {
      const todo = v2 ? imagesToQuote(list, params, quotes).flatMap(({ key, image }) => (isUpscalable(image.format) ? [{ key, uri: vscode.Uri.joinPath(root.uri, image.path), format: image.format }] : [])) : [];
      if (todo.length) await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Pricing {0} with the service\'s dry run', label) }, () => deps.quote(params, todo, quotes));
    };
    // Every pass of the service is billed: a target above 2x costs two or three times as much.
    const results = (list: readonly ScannedImage[], params: UpscaleParams) => runPasses(list.map((i) => i.size), targetOfParams(params, settings.variants), params.numImages ?? 1);
    const price = (list: readonly ScannedImage[], params: UpscaleParams, billed = results(list, params).results): QuotedPrice =>
      v2 ? quotedPrice(list, params, quotes, settings.price) : { ...priceOf(billed, 1, settings.price.perResult, settings.price.currency), exact: false };
    // The presets (v1's parameters) map files to what they are sent with; v2's upscalers take their own.
    const presetOf = (path: string) => (v2 ? undefined : presets.mappedFor(vscode.Uri.joinPath(root.uri, path))?.preset.label);
    await quote(planParams, makePlan(images, rules).candidates);
    const chosen = await pickFromPlan(label, images, rules, (picked) => price(picked, planParams), presetOf, v2);
    if (chosen === undefined) return undefined;
    if (chosen.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to upscale in {0}: every image is done or left out.', label));
      return { planned: 0, skipped: images.length, price: price([], planParams) };
    }
    const uris = chosen.map((image) => vscode.Uri.joinPath(root.uri, image.path));
    const longSide = Math.max(0, ...chosen.map((image) => (image.size ? Math.max(image.size.width, image.size.height) : 0)));
    const defaults = defaultsFor(settings);
    const names = settings.variants.map((r) => `${r.pattern} (${r.scale}x)`).join(', ');
    const choice = await askParameters(defaults, last, { presets: presets.presets, mapped: uris.map((uri) => (v2 ? undefined : presets.mappedFor(uri))) }, longSide, names);
    if (!choice) return undefined;
    const chosenParams = 'params' in choice ? choice.params : defaults;
    // Variants go where the setting says: there is no output to choose.
    const output = chosenParams.target === variantsTarget ? settings.output : settings.output === 'ask' ? await askOutput() : settings.output;
    if (!output) return undefined;
    await quote(chosenParams, chosen);
    // Each file's preset may ask for another number of results, or another target.
    const passes = batchItems(uris, choice, presets, defaults, {}).reduce(
      (sum, item, i) => {
        const one = results([chosen[i]], item.params);
        return { passes: sum.passes + one.passes, results: sum.results + one.results };
      },
      { passes: 0, results: 0 },
    );
    const total = price(chosen, chosenParams, passes.results);
    if (total.amount > settings.price.confirmAbove || total.results > settings.price.confirmAboveResults) {
      // A step of the same quick input, not a dialog: it keeps the keyboard flow (and VS Code
      // refuses modal dialogs to extensions under test, so a dialog could not be proven).
      const go = vscode.l10n.t('Upscale {0} Images', chosen.length);
      const title = total.exact
        ? vscode.l10n.t('Upscale {0} images of {1}? That is {2} results, {3} {4} as quoted by the service, billed by it.', chosen.length, label, total.results, total.amount, total.currency)
        : passes.passes > chosen.length
          ? vscode.l10n.t('Upscale {0} images of {1}? The target takes {2} passes of the service in all (it upscales up to 2x a pass), each billed: {3} results, about {4} {5}.', chosen.length, label, passes.passes, total.results, total.amount, total.currency)
          : vscode.l10n.t('Upscale {0} images of {1}? That is {2} results, about {3} {4}, billed by the service.', chosen.length, label, total.results, total.amount, total.currency);
      const answer = await vscode.window.showQuickPick([go, vscode.l10n.t('Cancel')], { title, ignoreFocusOut: true });
      if (answer !== go) return undefined;
    }
    let run: UpscaleSummary | undefined;
    try {
      run = await deps.upscale(uris, { ...('mapped' in choice ? { preset: mappedPresets } : choice.preset ? { preset: choice.preset.id } : { params: choice.params }), output, batch: label });
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
