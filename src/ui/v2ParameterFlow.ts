import * as vscode from 'vscode';
import { limits, UpscaleParams } from '../core/api/params';
import { EnhancementStrength, factorOf, factorProblem, largestFactor, ResolutionTier, strengths, tiers, UpscaleFactor, V2Model, v2ModelIds, v2Models } from '../core/api/v2';
import { back } from './inputBox';
import { input, pick, runSteps, skip, Step } from './quickSteps';

/** One line on each model: what kind it is, what it is for, whether it takes a prompt. Literals, for the translations. */
function explain(model: V2Model): { kind: string; detail: string } {
  switch (model) {
    case 'topaz-standard-2':
      return { kind: vscode.l10n.t('faithful · no prompt'), detail: vscode.l10n.t('Sharpens the whole image and stays close to it.') };
    case 'topaz-text-refine':
      return { kind: vscode.l10n.t('faithful · no prompt'), detail: vscode.l10n.t('Keeps large and small lettering sharp: logos, icons, screenshots.') };
    case 'topaz-wonder-3-5':
      return { kind: vscode.l10n.t('adds detail · no prompt'), detail: vscode.l10n.t('Rebuilds detail, with a low, medium or high strength.') };
    case 'topaz-wonder-4':
      return { kind: vscode.l10n.t('adds detail · no prompt'), detail: vscode.l10n.t('Removes noise, blur and compression artefacts and recovers faces; x2 or x4.') };
    case 'topaz-bloom-2':
      return { kind: vscode.l10n.t('creative · optional prompt'), detail: vscode.l10n.t('Adds new fine detail; may change small lettering and faces.') };
    case 'topaz-redefine':
      return { kind: vscode.l10n.t('creative · optional prompt'), detail: vscode.l10n.t('Redraws the most; may change small lettering and faces.') };
    case 'nano-banana-pro':
      return { kind: vscode.l10n.t('regenerates · no prompt'), detail: vscode.l10n.t('Regenerates the image at 1K, 2K or 4K, keeping its content and style.') };
    case 'auto':
      return { kind: vscode.l10n.t('automatic · no prompt'), detail: vscode.l10n.t('Ideogram picks the model per request; the choice may change over time.') };
  }
}

/** Why these parameters cannot be sent for an image whose long side is this, or undefined. */
export function v2Problem(p: UpscaleParams, longSide: number): string | undefined {
  return p.model && p.upscaleFactor && v2Models[p.model].factors.length && longSide > 0 ? factorProblem(p.model, p.upscaleFactor, longSide) : undefined;
}

/** The v2 steps: the model, its factor (refusing one past 8,192 px for this image), then its own options. */
export async function customizeV2(title: string, initial: UpscaleParams, longSide: number): Promise<UpscaleParams | typeof back | undefined> {
  const p: UpscaleParams = { ...initial };
  const info = () => v2Models[p.model ?? 'topaz-standard-2'];
  const total = 3;
  const steps: (() => Step<unknown>)[] = [
    async () => {
      const items = v2ModelIds.map((id) => ({ label: id, description: explain(id).kind, detail: explain(id).detail, value: id }));
      const v = await pick(title, 2, total, items, true, vscode.l10n.t('Model'), p.model);
      if (v !== undefined && v !== back) p.model = v;
      return v;
    },
    async () => {
      const model = p.model ?? 'topaz-standard-2';
      if (!info().factors.length) return skip;
      const largest = longSide > 0 ? largestFactor(model, { width: longSide, height: longSide }) : undefined;
      const items = info().factors.map((f) => ({ label: f, description: factorText(model, f, longSide), value: f }));
      const current = p.upscaleFactor && info().factors.includes(p.upscaleFactor) ? p.upscaleFactor : (largest ?? 'x2');
      const v = await pick<UpscaleFactor>(title, 3, total, items, true, vscode.l10n.t('Factor'), current, (f) => (longSide > 0 ? factorProblem(model, f, longSide) : undefined));
      if (v !== undefined && v !== back) p.upscaleFactor = v;
      return v;
    },
    () => ownOptions(title, p, total),
  ];
  const ended = await runSteps(steps);
  if (ended !== true) return ended;
  // Only what the chosen model takes is kept.
  return { model: p.model, ...(info().factors.length ? { upscaleFactor: p.upscaleFactor ?? 'x2' } : {}), ...(info().strength ? { enhancementStrength: p.enhancementStrength } : {}), ...(info().prompt && p.prompt ? { prompt: p.prompt } : {}), ...(info().tier ? { resolutionTier: p.resolutionTier } : {}) };
}

function factorText(model: V2Model, factor: UpscaleFactor, longSide: number): string {
  if (longSide <= 0) return '';
  const problem = factorProblem(model, factor, longSide);
  return problem ?? vscode.l10n.t('long side {0} px', longSide * factorOf(factor));
}

async function ownOptions(title: string, p: UpscaleParams, total: number): Step<unknown> {
  const info = v2Models[p.model ?? 'topaz-standard-2'];
  if (info.strength) {
    const items = strengths.map((s) => ({ label: s, value: s }));
    const v = await pick<EnhancementStrength>(title, 4, total + 1, items, true, vscode.l10n.t('Enhancement strength'), p.enhancementStrength ?? 'medium');
    if (v !== undefined && v !== back) p.enhancementStrength = v;
    return v;
  }
  if (info.tier) {
    const items = tiers.map((s) => ({ label: s, value: s }));
    const v = await pick<ResolutionTier>(title, 4, total + 1, items, true, vscode.l10n.t('Resolution'), p.resolutionTier ?? '2K');
    if (v !== undefined && v !== back) p.resolutionTier = v;
    return v;
  }
  if (info.prompt) {
    const v = await input(title, 4, total + 1, vscode.l10n.t('Prompt to guide the upscale (optional)'), p.prompt ?? '', (s) => (s.length > limits.promptLength ? vscode.l10n.t('At most {0} characters.', limits.promptLength) : undefined));
    if (typeof v === 'string') p.prompt = v.trim() || undefined;
    return v;
  }
  return skip;
}
