import { libraries } from '../lazyLibraries';
import type { UpscaleParams } from '../api/params';
import { t } from '../i18n';

/** A named set of parameters, and (for the target sizes) where the result should end. */
export interface Preset {
  id: string;
  /** What the user reads: the built-ins' names in the user's language, a file's preset by its label or id. */
  label: string;
  /** Only what the preset sets; the rest comes from the settings' defaults (see `presetParams`). */
  params: UpscaleParams;
  /** A target size as written ("2x", "width:512", "fit:1024x768"): the run's `target` (see core/images/target.ts). */
  target?: string;
  builtIn: boolean;
}

/** A glob of the presets file and the preset it names, with the line it is written on. */
export interface PathRule {
  glob: string;
  preset: string;
  line: number;
}

/** What a presets file defines, checked: every rule names a known preset. */
export interface PresetConfig {
  presets: Preset[];
  paths: PathRule[];
}

export const defaultsPresetId = 'defaults';

/**
 * The built-in presets. Their numbers are starting points reasoned from what each parameter does
 * (resemblance keeps the original's shapes, detail invents texture, Magic Prompt rewrites the
 * prompt), not measured against a benchmark; a presets file can define others beside them.
 */
export function builtInPresets(): Preset[] {
  return [
    // Flat colours, edges and letterforms must stay as drawn: little invention, no rewritten prompt.
    { id: 'ui', label: t('UI, logo and text'), params: { resemblance: 90, detail: 20, magicPrompt: 'OFF' }, builtIn: true },
    // Texture (skin, foliage, fabric) is what a photo lacks when enlarged; some freedom to add it.
    { id: 'photo', label: t('Photo'), params: { resemblance: 60, detail: 70, magicPrompt: 'AUTO' }, builtIn: true },
    // Line work and shading kept close, a little detail; the prompt is not rewritten into another style.
    { id: 'illustration', label: t('Illustration'), params: { resemblance: 75, detail: 45, magicPrompt: 'OFF' }, builtIn: true },
    { id: defaultsPresetId, label: t('Settings\' defaults'), params: {}, builtIn: true },
  ];
}

/** Every preset there is: the built-ins, then the file's in the order written. */
export function allPresets(config: PresetConfig | undefined): Preset[] {
  return [...builtInPresets(), ...(config?.presets ?? [])];
}

/** The parameters a preset sends: what it sets over the settings' defaults. */
export function presetParams(preset: Preset, defaults: UpscaleParams): UpscaleParams {
  return { ...defaults, ...preset.params, ...(preset.target ? { target: preset.target } : {}) };
}

/**
 * The rule that decides a file's preset: the most specific glob that matches the path (relative to
 * the workspace folder). More specific is a longer literal start, the part before the first
 * wildcard (`icons/brand/**` over `icons/**` over `**\/*.png`; a plain path beats every glob);
 * between equal starts, the rule written first wins.
 */
export function ruleFor(path: string, config: PresetConfig | undefined): PathRule | undefined {
  let best: PathRule | undefined;
  let bestLength = -1;
  for (const rule of config?.paths ?? []) {
    const length = literalStart(rule.glob).length;
    if (length > bestLength && matcher(rule.glob)(path)) {
      best = rule;
      bestLength = length;
    }
  }
  return best;
}

/** The part of a glob before its first wildcard or group. */
export function literalStart(glob: string): string {
  const at = glob.search(/[*?[\]{}()!+@\\]/);
  return at === -1 ? glob : glob.slice(0, at);
}

const matchers = new Map<string, (path: string) => boolean>();

/** As the folder plan's filters match: dot files too, case ignored. */
function matcher(glob: string): (path: string) => boolean {
  let m = matchers.get(glob);
  if (!m) {
    m = libraries().picomatch(glob, { dot: true, nocase: true });
    matchers.set(glob, m);
  }
  return m;
}
