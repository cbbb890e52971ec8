import * as vscode from 'vscode';
import { limits, paramsSummary, UpscaleParams, variantsTarget } from '../core/api/params';
import { parseTarget, passesFor, targetProblem } from '../core/images/target';
import { defaultsPresetId, Preset, presetParams } from '../core/presets/presets';
import { back } from './inputBox';
import { input, pick, runSteps, Step } from './quickSteps';
import { customizeV2, v2Problem } from './v2ParameterFlow';

/** The presets to offer, and the one each chosen file's path maps it to (by the presets file). */
export interface PresetOffer {
  presets: readonly Preset[];
  mapped: readonly ({ preset: Preset; glob: string } | undefined)[];
}

/** Parameters for every file (with the preset they came from), or each file its mapped preset. */
export type ParamChoice = { params: UpscaleParams; preset?: Preset } | { mapped: true };

type Start = { preset: Preset } | 'mapped' | 'last' | 'custom';

/**
/**
 * The parameters of an upscale, asked in one multi-step quick input: the presets first (the one
 * the presets file maps the files to at the top, so Enter takes it; else the settings' defaults),
 * the last parameters used, or every field in turn with a back button. Nothing is sent before the
 * last step; undefined when the user dismisses it. Defaults with a `model` are those of
 * Ideogram's v2 upscalers, whose steps differ and which the presets (v1's parameters) do not
 * serve; `longSide` is the largest image's, against which a factor is checked.
 */
export async function askParameters(defaults: UpscaleParams, last: UpscaleParams | undefined, offer: PresetOffer, longSide = 0, variantNames = '{name}@2x, {name}@3x'): Promise<ParamChoice | undefined> {
  const imageCount = offer.mapped.length;
  const title = imageCount === 1 ? vscode.l10n.t('Upscale with Ideogram') : vscode.l10n.t('Upscale {0} images with Ideogram', imageCount);
  const v2 = defaults.model !== undefined;
  const tooLarge = (p: UpscaleParams) => (v2 ? v2Problem(p, longSide) : undefined);
  const described = (p: UpscaleParams) => [paramsSummary(p), tooLarge(p)].filter(Boolean).join(' — ');
  for (;;) {
    const offered: PresetOffer = v2 ? { presets: offer.presets.filter((p) => p.id === defaultsPresetId), mapped: offer.mapped.map(() => undefined) } : offer;
    const paramsOf = (choice: Start) => (choice === 'last' ? last : typeof choice === 'object' ? presetParams(choice.preset, defaults) : undefined);
    const start = await pick<Start>(title, 1, 1, [
      ...presetItems(defaults, offered, described),
      ...(last ? [{ label: vscode.l10n.t('Same as last time'), description: described(last), value: 'last' as const }] : []),
      { label: vscode.l10n.t('Customize…'), description: v2 ? vscode.l10n.t('model, factor and the model\'s own options') : vscode.l10n.t('prompt, resemblance, detail, magic prompt, number of images, seed, target size'), value: 'custom' as const },
    ], false, undefined, undefined, (choice) => {
      const params = paramsOf(choice);
      return params && tooLarge(params);
    });
    if (start === undefined || start === back) return undefined;
    if (start === 'mapped') return { mapped: true };
    if (typeof start === 'object') return { params: presetParams(start.preset, defaults), preset: start.preset };
    if (start === 'last' && last) return { params: { ...last } };
    const custom = v2 ? await customizeV2(title, last ?? defaults, longSide) : await customize(title, 8, last ?? defaults, variantNames);
    if (custom !== back) return custom && { params: custom };
  }
}

function presetItems(defaults: UpscaleParams, offer: PresetOffer, described: (p: UpscaleParams) => string): (vscode.QuickPickItem & { value: Start })[] {
  const mapped = offer.mapped.filter((m) => m !== undefined);
  const ids = new Set(offer.mapped.map((m) => m?.preset.id));
  const item = (preset: Preset, description?: string) => ({ label: preset.label, description, detail: description && described(presetParams(preset, defaults)), value: { preset } });
  // The settings' defaults lead the others, as they did before there were presets: Enter keeps meaning them.
  const ordered = [...offer.presets].sort((a, b) => Number(b.id === defaultsPresetId) - Number(a.id === defaultsPresetId));
  const rest = (skip?: string) => ordered.filter((p) => p.id !== skip).map((p) => ({ ...item(p), description: described(presetParams(p, defaults)), detail: undefined }));
  if (mapped.length === 0) return rest();
  if (ids.size === 1) {
    // Every file maps to the same preset: it comes first, said to be the files' own.
    const { preset, glob } = mapped[0];
    return [item(preset, offer.mapped.length === 1 ? vscode.l10n.t('mapped to this file by {0}', glob) : vscode.l10n.t('mapped to these files by {0}', glob)), ...rest(preset.id)];
  }
  // Files of no glob take the settings' defaults.
  const unmapped = offer.presets.find((p) => p.id === defaultsPresetId)?.label ?? defaultsPresetId;
  const counts = new Map<string, number>();
  for (const m of offer.mapped) counts.set(m?.preset.label ?? unmapped, (counts.get(m?.preset.label ?? unmapped) ?? 0) + 1);
  const each = {
    label: vscode.l10n.t('Each image with its mapped preset'),
    description: [...counts].map(([label, n]) => vscode.l10n.t('{0} × {1}', label, n)).join(', '),
    value: 'mapped' as const,
  };
  return [each, ...rest()];
}

async function customize(title: string, total: number, initial: UpscaleParams, variantNames: string): Promise<UpscaleParams | typeof back | undefined> {
  const p: UpscaleParams = { ...initial };
  const steps: (() => Step<unknown>)[] = [
    async () => {
      const v = await input(title, 2, total, vscode.l10n.t('Prompt to guide the upscale (optional)'), p.prompt ?? '', (s) =>
        s.length > limits.promptLength ? vscode.l10n.t('At most {0} characters.', limits.promptLength) : undefined,
      );
      if (typeof v === 'string') p.prompt = v.trim() || undefined;
      return v;
    },
    () => intStep(p, 'resemblance', title, 3, total, vscode.l10n.t('Resemblance to the original, {0} to {1}', limits.resemblance.min, limits.resemblance.max)),
    () => intStep(p, 'detail', title, 4, total, vscode.l10n.t('Detail to add, {0} to {1}', limits.detail.min, limits.detail.max)),
    async () => {
      const current = p.magicPrompt ?? 'AUTO';
      const modes = (['AUTO', 'ON', 'OFF'] as const).map((m) => ({ label: m === 'AUTO' ? vscode.l10n.t('Auto') : m === 'ON' ? vscode.l10n.t('On') : vscode.l10n.t('Off'), description: m === current ? vscode.l10n.t('current') : undefined, value: m }));
      // Enter keeps the value, as it does in the input steps around this one.
      const v = await pick(title, 5, total, modes, true, vscode.l10n.t('Magic Prompt'), current);
      if (v !== undefined && v !== back) p.magicPrompt = v;
      return v;
    },
    () => intStep(p, 'numImages', title, 6, total, vscode.l10n.t('Number of images, {0} to {1} (each one is billed)', limits.numImages.min, limits.numImages.max)),
    async () => {
      const v = await input(title, 7, total, vscode.l10n.t('Seed, {0} to {1}; leave empty for a random seed', limits.seed.min, limits.seed.max), p.seed === undefined ? '' : String(p.seed), (s) =>
        s.trim() === '' || inRange(s, limits.seed.min, limits.seed.max) ? undefined : vscode.l10n.t('Enter a whole number from {0} to {1}, or nothing.', limits.seed.min, limits.seed.max),
      );
      if (typeof v === 'string') p.seed = v.trim() === '' ? undefined : Number(v);
      return v;
    },
    () => targetStep(p, title, 8, total, variantNames),
  ];
  const ended = await runSteps(steps);
  if (ended !== true) return ended;
  return p;
}

/**
 * How large the result is made: a factor, a side in pixels or a box, or the variants of the
 * setting. Each choice says how many passes it takes, since each pass is billed.
 */
async function targetStep(p: UpscaleParams, title: string, step: number, total: number, variantNames: string): Step<string> {
  const current = p.target ?? '2x';
  const passes = (factor: number) => (passesFor(factor) === 1 ? vscode.l10n.t('one pass') : vscode.l10n.t('{0} passes, each billed', passesFor(factor)));
  const items = [
    ...['2x', '1.5x', '3x', '4x'].map((f) => ({ label: f, description: passes(parseFloat(f)), value: f })),
    { label: vscode.l10n.t('Width in pixels…'), description: vscode.l10n.t('the height in proportion'), value: 'width' },
    { label: vscode.l10n.t('Height in pixels…'), description: vscode.l10n.t('the width in proportion'), value: 'height' },
    { label: vscode.l10n.t('Fit within…'), description: vscode.l10n.t('the largest size within a box, such as 1024x768'), value: 'fit' },
    { label: vscode.l10n.t('Variants'), description: variantNames, detail: vscode.l10n.t('each file the setting "ideogramUpscale.variants" names, resampled from one upscale'), value: variantsTarget },
  ];
  if (!items.some((i) => i.value === current)) items.unshift({ label: current, description: vscode.l10n.t('current'), value: current });
  for (;;) {
    const v = await pick(title, step, total, items, true, vscode.l10n.t('Target size (the service upscales up to 2x a pass)'), items.find((i) => i.value === current)?.value);
    if (v === undefined || v === back) return v;
    if (v !== 'width' && v !== 'height' && v !== 'fit') {
      p.target = v;
      return v;
    }
    const prompt = v === 'fit' ? vscode.l10n.t('The box to fit within, as WIDTHxHEIGHT in pixels') : v === 'width' ? vscode.l10n.t('The width in pixels') : vscode.l10n.t('The height in pixels');
    const value = current.startsWith(`${v}:`) ? current.slice(v.length + 1) : '';
    const given = await input(title, step, total, prompt, value, (s) => (parseTarget(`${v}:${s.trim()}`) ? undefined : targetProblem(`${v}:${s.trim()}`)));
    if (given === undefined) return undefined;
    if (given === back) continue;
    p.target = `${v}:${given.trim()}`;
    return p.target;
  }
}

async function intStep(p: UpscaleParams, key: 'resemblance' | 'detail' | 'numImages', title: string, step: number, total: number, prompt: string): Step<string> {
  const { min, max } = limits[key];
  const v = await input(title, step, total, prompt, String(p[key] ?? ''), (s) => (inRange(s, min, max) ? undefined : vscode.l10n.t('Enter a whole number from {0} to {1}.', min, max)));
  if (typeof v === 'string') p[key] = Number(v);
  return v;
}

function inRange(s: string, min: number, max: number): boolean {
  const t = s.trim();
  return /^\d+$/.test(t) && Number(t) >= min && Number(t) <= max;
}
