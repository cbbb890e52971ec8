import { t } from '../i18n';
import { targetProblem } from '../images/target';
import { v2FormFields, V2Params, v2ParamsProblem } from './v2';

/**
 * The fields of `image_request`, as the v1 upscale endpoint documents them, those of the v2
 * upscalers (a job keeps the model and factor it was sent with; `model` set means v2), and the
 * run's target size (never sent: it decides how many passes the service makes and the size
 * resampled to).
 */
export interface UpscaleParams extends V2Params {
  prompt?: string;
  resemblance?: number;
  detail?: number;
  magicPrompt?: 'AUTO' | 'ON' | 'OFF';
  numImages?: number;
  /** Omitted for a random seed. */
  seed?: number;
  /**
   * A target size in the grammar of `core/images/target.ts` ("3x", "width:512", "fit:1024x768"),
   * or `variants` for the files `ideogramUpscale.variants` names; "2x" (one pass) when absent.
   */
  target?: string;
}

/** The target that writes the variants of `ideogramUpscale.variants` instead of one result. */
export const variantsTarget = 'variants';

export const limits = {
  resemblance: { min: 1, max: 100 },
  detail: { min: 1, max: 100 },
  numImages: { min: 1, max: 8 },
  seed: { min: 0, max: 2147483647 },
  promptLength: 2000,
} as const;

/** Returns what is wrong with the parameters, or undefined when they can be sent. */
export function paramsProblem(p: UpscaleParams): string | undefined {
  if (p.model !== undefined) {
    const problem = v2ParamsProblem(p);
    if (problem) return problem;
  }
  for (const key of ['resemblance', 'detail', 'numImages', 'seed'] as const) {
    const value = p[key];
    if (value === undefined) continue;
    const { min, max } = limits[key];
    if (!Number.isInteger(value) || value < min || value > max) {
      return t('{0} must be a whole number from {1} to {2}', key, min, max);
    }
  }
  if (p.magicPrompt !== undefined && !['AUTO', 'ON', 'OFF'].includes(p.magicPrompt)) {
    return t('magicPrompt must be AUTO, ON or OFF');
  }
  if (p.prompt !== undefined && p.prompt.length > limits.promptLength) {
    return t('the prompt is longer than {0} characters', limits.promptLength);
  }
  if (p.target !== undefined && p.target !== variantsTarget) return typeof p.target === 'string' ? targetProblem(p.target) : t('the target must be text such as "3x"');
  return undefined;
}

/** The JSON text of the `image_request` field; only what is set is sent. */
export function imageRequestJson(p: UpscaleParams): string {
  const body: Record<string, unknown> = {};
  if (p.prompt) body.prompt = p.prompt;
  if (p.resemblance !== undefined) body.resemblance = p.resemblance;
  if (p.detail !== undefined) body.detail = p.detail;
  if (p.magicPrompt !== undefined) body.magic_prompt_option = p.magicPrompt;
  if (p.numImages !== undefined) body.num_images = p.numImages;
  if (p.seed !== undefined) body.seed = p.seed;
  return JSON.stringify(body);
}

/** A one-line description of what was asked, for the panel. */
export function paramsSummary(p: UpscaleParams): string {
  const parts: string[] = [];
  if (p.model !== undefined) return v2Summary(p);
  if (p.prompt) parts.push(quoted(p.prompt));
  parts.push(t('resemblance {0}', p.resemblance ?? 50), t('detail {0}', p.detail ?? 50), t('magic prompt {0}', p.magicPrompt ?? 'AUTO'));
  const n = p.numImages ?? 1;
  parts.push(n === 1 ? t('1 image') : t('{0} images', n), p.seed === undefined ? t('random seed') : t('seed {0}', p.seed));
  if (p.target === variantsTarget) parts.push(t('variants'));
  else if (p.target !== undefined && p.target !== '2x') parts.push(t('to {0}', p.target));
  return parts.join(' · ');
}

function quoted(prompt: string): string {
  return `"${prompt.length > 40 ? prompt.slice(0, 39) + '…' : prompt}"`;
}

/** What is sent, as the model takes it. */
function v2Summary(p: UpscaleParams): string {
  const fields = new Map(v2FormFields(p, { async: false }));
  const parts: string[] = [p.model ?? ''];
  for (const name of ['upscale_factor', 'resolution_tier']) if (fields.has(name)) parts.push(fields.get(name)!);
  if (fields.has('enhancement_strength')) parts.push(t('strength {0}', fields.get('enhancement_strength')!));
  if (fields.has('prompt')) parts.push(quoted(fields.get('prompt')!));
  return parts.join(' · ');
}
