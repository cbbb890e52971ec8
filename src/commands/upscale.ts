import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { paramsProblem, UpscaleParams, variantsTarget } from '../core/api/params';
import { variantsProblem } from '../core/files/variants';
import { addressSetting, ServiceKind } from '../core/api/services';
import { readSize } from '../core/images/format';
import { readBytes } from '../jobs/fileAccess';
import { imagePaths } from '../batch/scanFolder';
import { outputMatcher } from '../core/batch/plan';
import { isUpscalableName } from '../core/images/extensions';
import { activePreviewImage } from '../editor/activeImage';
import { runBatch } from '../jobs/batch';
import { throttledProgress } from '../ui/throttledProgress';
import { JobRunner } from '../jobs/jobRunner';
import { JobRecord } from '../jobs/jobStore';
import { OutputError, replaceTarget } from '../jobs/outputs';
import { ApiKeyStore } from '../secrets';
import { defaultsFor, OutputMode, readSettings, serviceProfile } from '../settings';
import { askApiKey } from '../ui/apiKeyInput';
import { pickImages } from '../ui/imagePicker';
import { askParameters } from '../ui/parameterFlow';
import { ResultActions } from './resultActions';
import { batchItems, choiceOfOptions } from './presetChoice';
import { presetsFor, PresetFileError, showPresetFileError } from '../batch/presetFile';
import { deliver, notifyOutcome, PendingVariants } from './runOutcome';

export const lastParamsKey = 'ideogramUpscale.lastParams';

/** "Same as last time" is kept per service: the v2 upscalers take other parameters. */
export function lastParamsKeyFor(service: ServiceKind): string {
  return service === 'ideogramV2' ? `${lastParamsKey}.ideogramV2` : lastParamsKey;
}

/** The third argument of `ideogramUpscale.upscale`: runs it without any quick pick. */
export interface UpscaleOptions {
  /** Parameters, or which saved set to use; the settings' defaults when left out. Set over `preset` when both are given. */
  params?: UpscaleParams | 'defaults' | 'last';
  /** A preset's id (built-in or of the presets file), or "mapped": each file the preset its path maps it to. */
  preset?: string;
  /** What to do with the results; the `ideogramUpscale.output` setting when left out. */
  output?: OutputMode;
  /** The run's name for the user (a folder, say), used if it is interrupted and offered to resume. */
  batch?: string;
}

/** What `ideogramUpscale.upscale` returns: one entry per file, in the order given. */
export interface UpscaleSummary {
  jobs: {
    id: string;
    source: string;
    state: JobRecord['state'];
    /** Why the file has no result where the output mode wanted one: the job's failure, or the refusal of the save or replace. */
    error?: string;
    saved: string[];
    replaced: boolean;
    /** Results the service's safety filter withheld (the others are kept). */
    withheld: number;
  }[];
}

export interface UpscaleDeps {
  runner: JobRunner;
  keys: ApiKeyStore;
  actions: ResultActions;
  memento: vscode.Memento;
  showPanel: () => void;
}

/**
 * "Upscale with Ideogram…": from the explorer (clicked file and the whole selection), the image
 * preview's title bar, or the palette (which asks for images). Returns what happened to each file,
 * for keybindings, other extensions and tests.
 */
export function upscaleCommand(deps: UpscaleDeps) {
  return async (clicked?: unknown, selected?: unknown, given?: UpscaleOptions): Promise<UpscaleSummary | undefined> => {
    // A keybinding passes its `args` as the only argument: options alone, the images asked for.
    const options = given ?? (isOptions(clicked) ? clicked : undefined);
    // Other extensions and keybindings learn of a bad call from the command's rejection (VS Code
    // shows a keybinding's in a notification), before any file is read or anything sent.
    const wrong = options && optionsProblem(options);
    if (wrong) throw new Error(vscode.l10n.t('ideogramUpscale.upscale: {0}; nothing was sent.', wrong));
    const chosen = Array.isArray(selected) && selected.length ? selected.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : clicked instanceof vscode.Uri ? [clicked] : await imageInViewOrPicked();
    if (!chosen?.length) return undefined;
    const settings = readSettings();
    const output = options?.output ?? settings.output;
    const refusal = output === 'replace' ? await replaceRefusal(chosen) : undefined;
    if (refusal && options) throw new Error(vscode.l10n.t('ideogramUpscale.upscale: {0} Nothing was sent.', refusal));
    if (refusal) {
      void vscode.window.showErrorMessage(refusal);
      return undefined;
    }
    let presets;
    try {
      presets = await presetsFor(chosen);
    } catch (err) {
      if (!(err instanceof PresetFileError)) throw err;
      if (options) throw new Error(vscode.l10n.t('ideogramUpscale.upscale: {0} Nothing was sent.', err.message), { cause: err });
      showPresetFileError(err);
      return undefined;
    }
    const last = deps.memento.get<UpscaleParams>(lastParamsKeyFor(settings.service));
    const defaults = defaultsFor(settings);
    const longSide = settings.service === 'ideogramV2' && !options ? await longestSide(chosen) : 0;
    let choice;
    try {
      choice = options
        ? choiceOfOptions(options.preset, options.params, presets, defaults, last)
        : await askParameters(defaults, last, { presets: presets.presets, mapped: chosen.map((uri) => presets.mappedFor(uri)) }, longSide, variantNames(settings.variants));
    } catch (err) {
      throw new Error(vscode.l10n.t('ideogramUpscale.upscale: {0}; nothing was sent.', (err as Error).message), { cause: err });
    }
    if (!choice) return undefined;
    const price = { perResult: settings.price.perResult, currency: settings.price.currency };
    const items = batchItems(chosen, choice, presets, defaults, { service: settings.service, price });
    const variants = items.some((item) => item.params.target === variantsTarget);
    const problem = items.map((item) => paramsProblem(item.params)).find((p) => p !== undefined) ?? (variants ? variantsProblem(settings.variants) : undefined);
    if (problem) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Not sent: {0}. Check the "ideogramUpscale.defaults" settings.', problem));
      return undefined;
    }
    const key = (await deps.keys.get(settings.service)) ?? (await askApiKey(deps.keys, settings.service));
    if (!key) return undefined;
    let profile;
    try {
      profile = serviceProfile(settings, key);
    } catch (err) {
      void vscode.window.showErrorMessage((err as Error).message, vscode.l10n.t('Open Settings')).then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', addressSetting(settings.service));
      });
      return undefined;
    }
    // Only a choice made in the quick pick becomes "Same as last time"; runs from other extensions,
    // keybindings or "Run again" do not change it.
    if (!options && 'params' in choice) await deps.memento.update(lastParamsKeyFor(settings.service), choice.params);
    deps.showPanel();
    /** Variants that exist already: overwritten only once the user says so, at the end of the run. */
    const existing: PendingVariants[] = [];
    const jobs = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: chosen.length === 1 ? vscode.l10n.t('Upscaling {0}', baseName(chosen[0])) : vscode.l10n.t('Upscaling {0} images', chosen.length),
        cancellable: true,
      },
      async (progress, token) => {
        const abort = new AbortController();
        const onCancel = token.onCancellationRequested(() => abort.abort());
        let ended = 0;
        let billed = 0;
        existing.length = 0;
        const told = throttledProgress(progress);
        const watch = deps.runner.store.onDidChange((job) => {
          // A job removed meanwhile (Clear Results) is told too, in its last state: not this run's.
          if (chosen.length === 1 && deps.runner.store.find(job.id)) progress.report({ message: stateText(job.state) });
        });
        try {
          const batch = { id: randomUUID(), label: options?.batch ?? (chosen.length === 1 ? baseName(chosen[0]) : vscode.l10n.t('{0} images', chosen.length)), output, variants: variants ? settings.variants : undefined };
          return await runBatch(deps.runner, items, profile, abort.signal, async (job) => {
            ended++;
            // What the service has billed so far: what it said it billed, else each result of a job it answered, once a pass.
            billed += job.billedUsdMicros !== undefined ? job.billedUsdMicros / 1e6 : job.results.length * (job.passes ?? 1) * settings.price.perResult;
            const cost = +billed.toFixed(2);
            if (chosen.length > 1) told.report({ increment: 100 / chosen.length, message: vscode.l10n.t('{0} of {1} done · about {2} {3} so far', ended, chosen.length, cost, settings.price.currency) });
            await deliver(job, output, deps, existing);
          }, batch);
        } finally {
          told.flush();
          watch.dispose();
          onCancel.dispose();
        }
      },
    );
    notifyOutcome(jobs, variants ? 'variants' : output, deps, existing);
    return {
      jobs: jobs.map((j) => ({
        id: j.id,
        source: j.source.toString(),
        state: j.state,
        error: j.failure ?? j.actionError,
        saved: j.results.flatMap((r) => r.saved),
        replaced: j.results.some((r) => r.replacedAt !== undefined),
        withheld: j.results.filter((r) => r.withheld).length,
      })),
    };
  };
}

function isOptions(value: unknown): value is UpscaleOptions {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri) && ('params' in value || 'output' in value || 'preset' in value);
}

const outputModes: readonly OutputMode[] = ['ask', 'nextToOriginal', 'replace'];

/** What is wrong with options given by a caller (another extension, a keybinding's `args`). */
function optionsProblem(options: UpscaleOptions): string | undefined {
  if (options.output !== undefined && !outputModes.includes(options.output)) {
    return vscode.l10n.t('"output" must be "ask", "nextToOriginal" or "replace", not {0}', JSON.stringify(options.output));
  }
  if (options.preset !== undefined && typeof options.preset !== 'string') return vscode.l10n.t('"preset" must be a preset\'s id or "mapped", not {0}', JSON.stringify(options.preset));
  const params: unknown = options.params;
  if (params === undefined || params === 'defaults' || params === 'last') return undefined;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    return vscode.l10n.t('"params" must be an object, "defaults" or "last", not {0}', JSON.stringify(params));
  }
  const given = params as UpscaleParams;
  if (given.prompt !== undefined && typeof given.prompt !== 'string') return vscode.l10n.t('"params.prompt" must be text');
  const problem = paramsProblem(given);
  return problem && vscode.l10n.t('in "params", {0}', problem);
}

/** A replace writes only inside the workspace folders: said before anything is uploaded and billed. */
async function replaceRefusal(uris: vscode.Uri[]): Promise<string | undefined> {
  for (const uri of uris) {
    try {
      await replaceTarget(uri);
    } catch (err) {
      if (err instanceof OutputError) return err.message;
      throw err;
    }
  }
  return undefined;
}

/** The variants of the setting, as the target step names them: "{name}@2x.{ext} (2x), …". */
function variantNames(rules: readonly { pattern: string; scale: number }[]): string {
  return rules.map((r) => `${r.pattern} (${r.scale}x)`).join(', ');
}

/** The image open in the active image preview (its picture was right-clicked, or a key pressed), else the ones the user picks. */
async function imageInViewOrPicked(): Promise<vscode.Uri[] | undefined> {
  const shown = activePreviewImage();
  if (shown && !isUpscalableName(shown.path)) {
    // The preview also shows SVG and GIF; a keybinding reaches them where no menu offers it.
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} is not a PNG, JPEG or WebP image; only those can be upscaled.', baseName(shown)));
    return undefined;
  }
  return shown ? [shown] : workspaceImages();
}

/** The workspace's images, left out as a folder's scan leaves them out (files.exclude, node_modules, .git). */
async function workspaceImages(): Promise<vscode.Uri[] | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const found = await Promise.all(folders.map(async (folder) => (await imagePaths(folder.uri)).map((path) => vscode.Uri.joinPath(folder.uri, path))));
  const images = found.flat().filter((u) => isUpscalableName(u.path)).sort((a, b) => a.path.localeCompare(b.path));
  if (images.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There are no PNG, JPEG or WebP images in this workspace.'));
    return undefined;
  }
  const isOutput = outputMatcher(readSettings().fileNamePattern);
  return pickImages(images, (uri) => isOutput(baseName(uri)));
}

function stateText(state: JobRecord['state']): string {
  switch (state) {
    case 'uploading':
      return vscode.l10n.t('uploading');
    case 'waiting':
      return vscode.l10n.t('waiting for the service');
    case 'downloading':
      return vscode.l10n.t('downloading');
    default:
      return '';
  }
}

/** The long side of the largest image, against which a v2 factor is checked (0 when none can be read). */
async function longestSide(uris: vscode.Uri[]): Promise<number> {
  let longest = 0;
  for (const uri of uris) {
    const size = await readBytes(uri).then(readSize, () => undefined);
    if (size) longest = Math.max(longest, size.width, size.height);
  }
  return longest;
}

function baseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}
