import * as vscode from 'vscode';
import { limits, paramsSummary, UpscaleParams, variantsTarget } from '../core/api/params';
import { parseTarget, passesFor, targetProblem } from '../core/images/target';
import { back, inputBox } from './inputBox';

type Step<T> = Promise<T | typeof back | undefined>;

/**
 * The parameters of an upscale, asked in one multi-step quick input: defaults (the first item,
 * so Enter goes straight on), the last parameters used, or every field in turn with a back
 * button. Nothing is sent before the last step; undefined when the user dismisses it.
 */
export async function askParameters(defaults: UpscaleParams, last: UpscaleParams | undefined, imageCount: number, variantNames = '{name}@2x, {name}@3x'): Promise<UpscaleParams | undefined> {
  const title = imageCount === 1 ? vscode.l10n.t('Upscale with Ideogram') : vscode.l10n.t('Upscale {0} images with Ideogram', imageCount);
  const total = 8;
  for (;;) {
    const start = await pick(title, 1, 1, [
      { label: vscode.l10n.t('Upscale with defaults'), description: paramsSummary(defaults), value: 'defaults' as const },
      ...(last ? [{ label: vscode.l10n.t('Same as last time'), description: paramsSummary(last), value: 'last' as const }] : []),
      { label: vscode.l10n.t('Customize…'), description: vscode.l10n.t('prompt, resemblance, detail, magic prompt, number of images, seed, target size'), value: 'custom' as const },
    ], false);
    if (start === undefined || start === back) return undefined;
    if (start === 'defaults') return { ...defaults };
    if (start === 'last' && last) return { ...last };
    const custom = await customize(title, total, last ?? defaults, variantNames);
    if (custom !== back) return custom;
  }
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
  for (let i = 0; i < steps.length; ) {
    const result = await steps[i]();
    if (result === undefined) return undefined;
    if (result === back) {
      if (i === 0) return back;
      i--;
    } else {
      i++;
    }
  }
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

function input(title: string, step: number, totalSteps: number, prompt: string, value: string, validate: (s: string) => string | undefined): Step<string> {
  return inputBox({ title, step, totalSteps, prompt, value, validate, canGoBack: true });
}

function pick<T>(title: string, step: number, total: number, items: (vscode.QuickPickItem & { value: T })[], canGoBack: boolean, placeholder?: string, active?: T): Step<T> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { value: T }>();
    qp.title = title;
    qp.step = step;
    qp.totalSteps = total;
    qp.items = items;
    if (active !== undefined) qp.activeItems = items.filter((i) => i.value === active);
    qp.placeholder = placeholder;
    qp.ignoreFocusOut = true;
    qp.buttons = canGoBack ? [vscode.QuickInputButtons.Back] : [];
    let settled = false;
    const finish = (v: T | typeof back | undefined) => {
      if (settled) return;
      settled = true;
      resolve(v);
      qp.dispose();
    };
    qp.onDidAccept(() => finish(qp.selectedItems[0]?.value));
    qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(back));
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}
