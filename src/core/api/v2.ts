import { t } from '../i18n';
import type { Size } from '../images/format';

/**
 * Ideogram's current upscalers (`POST /v2/image/upscale/{model}`), as its reference pages describe
 * them: which factors each takes, which reject an output past 8,192 px a side, which take a prompt.
 */
export const v2ModelIds = ['topaz-standard-2', 'topaz-text-refine', 'topaz-wonder-3-5', 'topaz-wonder-4', 'topaz-bloom-2', 'topaz-redefine', 'nano-banana-pro', 'auto'] as const;
export type V2Model = (typeof v2ModelIds)[number];
export type UpscaleFactor = 'x2' | 'x4' | 'x8';
export type EnhancementStrength = 'low' | 'medium' | 'high';
export type ResolutionTier = '1K' | '2K' | '4K';

export interface V2ModelInfo {
  kind: 'faithful' | 'detail' | 'creative' | 'regenerates' | 'automatic';
  /** Empty for a model that takes a `resolution_tier` instead. */
  factors: readonly UpscaleFactor[];
  /** Refuses an output wider or taller than `maxOutputSide`. */
  capped: boolean;
  prompt: boolean;
  strength: boolean;
  tier: boolean;
}

const all: readonly UpscaleFactor[] = ['x2', 'x4', 'x8'];
const plain = { capped: true, prompt: false, strength: false, tier: false };

export const v2Models: Record<V2Model, V2ModelInfo> = {
  'topaz-standard-2': { kind: 'faithful', factors: all, ...plain },
  'topaz-text-refine': { kind: 'faithful', factors: all, ...plain },
  'topaz-wonder-3-5': { kind: 'detail', factors: all, ...plain, strength: true },
  'topaz-wonder-4': { kind: 'detail', factors: ['x2', 'x4'], ...plain, capped: false },
  'topaz-bloom-2': { kind: 'creative', factors: all, ...plain, prompt: true },
  'topaz-redefine': { kind: 'creative', factors: all, ...plain, prompt: true },
  'nano-banana-pro': { kind: 'regenerates', factors: [], ...plain, capped: false, tier: true },
  auto: { kind: 'automatic', factors: all, ...plain },
};

export const maxOutputSide = 8192;
export const strengths: readonly EnhancementStrength[] = ['low', 'medium', 'high'];
export const tiers: readonly ResolutionTier[] = ['1K', '2K', '4K'];

export function isV2Model(value: unknown): value is V2Model {
  return typeof value === 'string' && (v2ModelIds as readonly string[]).includes(value);
}

export function factorOf(factor: UpscaleFactor): number {
  return Number(factor.slice(1));
}

/** The largest factor the model allows for an image of this size; undefined when none fits (or it takes no factor). */
export function largestFactor(model: V2Model, size: Size): UpscaleFactor | undefined {
  const info = v2Models[model];
  const long = Math.max(size.width, size.height);
  return [...info.factors].reverse().find((f) => !info.capped || long * factorOf(f) <= maxOutputSide);
}

/** Why this factor cannot be sent for an image of this size (its long side), or undefined. */
export function factorProblem(model: V2Model, factor: UpscaleFactor, longSide: number): string | undefined {
  const info = v2Models[model];
  if (!info.factors.includes(factor)) return t('{0} takes {1}, not {2}', model, info.factors.join(', ') || 'resolution_tier', factor);
  if (info.capped && longSide * factorOf(factor) > maxOutputSide) {
    const largest = largestFactor(model, { width: longSide, height: longSide });
    const output = longSide * factorOf(factor);
    return largest
      ? t('{0} would make {1} px, over the {2} px limit; the largest factor for this image is {3}', factor, output, maxOutputSide, largest)
      : t('{0} would make {1} px, over the {2} px limit; this image is too large for {3}', factor, output, maxOutputSide, model);
  }
  return undefined;
}

/** What a v2 upscale asks for, as the job's parameters keep it. */
export interface V2Params {
  model?: V2Model;
  upscaleFactor?: UpscaleFactor;
  enhancementStrength?: EnhancementStrength;
  resolutionTier?: ResolutionTier;
  prompt?: string;
}

/** The form fields beside `image`, only those the model takes; `async` so that the answer is a generation to poll. */
export function v2FormFields(p: V2Params, options: { async: boolean }): [string, string][] {
  const model = p.model ?? 'topaz-standard-2';
  const info = v2Models[model];
  const fields: [string, string][] = [];
  if (info.factors.length) fields.push(['upscale_factor', p.upscaleFactor && info.factors.includes(p.upscaleFactor) ? p.upscaleFactor : 'x2']);
  if (info.strength && p.enhancementStrength) fields.push(['enhancement_strength', p.enhancementStrength]);
  if (info.prompt && p.prompt) fields.push(['prompt', p.prompt]);
  if (info.tier) fields.push(['resolution_tier', p.resolutionTier ?? '2K']);
  if (options.async) fields.push(['async', 'true']);
  return fields;
}

/** The path of the model's endpoint under the service's address. */
export function v2SubmitPath(p: V2Params, template = '/v2/image/upscale/{model}'): string {
  return template.replace('{model}', encodeURIComponent(p.model ?? 'topaz-standard-2'));
}

/** What is wrong with the v2 fields, or undefined. */
export function v2ParamsProblem(p: V2Params): string | undefined {
  if (p.model !== undefined && !isV2Model(p.model)) return t('model must be one of {0}', v2ModelIds.join(', '));
  const info = v2Models[p.model ?? 'topaz-standard-2'];
  if (p.upscaleFactor !== undefined && !info.factors.includes(p.upscaleFactor)) return t('{0} takes {1}, not {2}', p.model ?? 'topaz-standard-2', info.factors.join(', ') || 'resolution_tier', String(p.upscaleFactor));
  if (p.enhancementStrength !== undefined && !strengths.includes(p.enhancementStrength)) return t('enhancementStrength must be low, medium or high');
  if (p.resolutionTier !== undefined && !tiers.includes(p.resolutionTier)) return t('resolutionTier must be 1K, 2K or 4K');
  return undefined;
}

/** The output size a request asks for, for pricing by output megapixels; undefined for a resolution tier. */
export function outputSize(p: V2Params, size: Size): Size | undefined {
  const info = v2Models[p.model ?? 'topaz-standard-2'];
  if (!info.factors.length) return undefined;
  const n = factorOf(p.upscaleFactor && info.factors.includes(p.upscaleFactor) ? p.upscaleFactor : 'x2');
  return { width: size.width * n, height: size.height * n };
}
