import { t } from '../i18n';
import { maxFactor } from '../images/target';

/**
 * One size of an image that a platform wants beside (or near) its base file: `logo@2x.png` next
 * to `logo.png` for the web and iOS, or `../drawable-xxhdpi/logo.png` from `drawable-mdpi/` for
 * Android. The pattern is a path relative to the base file's folder, with `{name}` (the base's
 * name without extension) and `{ext}` (its extension); `scale` is relative to the base's size.
 */
export interface VariantRule {
  pattern: string;
  scale: number;
}

/** The web's and iOS's @2x and @3x beside the base file: the setting's default. */
export const defaultVariants: readonly VariantRule[] = [
  { pattern: '{name}@2x.{ext}', scale: 2 },
  { pattern: '{name}@3x.{ext}', scale: 3 },
];

/** Why these rules cannot be used, or undefined. */
export function variantsProblem(rules: readonly VariantRule[]): string | undefined {
  if (rules.length === 0) return t('"ideogramUpscale.variants" lists no variants');
  const seen = new Set<string>();
  for (const rule of rules) {
    if (typeof rule?.pattern !== 'string' || !rule.pattern.includes('{name}')) {
      return t('the variant pattern {0} has no {1}', JSON.stringify(rule?.pattern), '{name}');
    }
    if (!isRelativePattern(rule.pattern)) {
      return t('the variant pattern {0} must be a path relative to the image\'s folder, with "../" only at its start', JSON.stringify(rule.pattern));
    }
    if (!(typeof rule.scale === 'number' && rule.scale > 1 && rule.scale <= maxFactor)) {
      return t('the scale of {0} must be a number above 1 up to {1}', rule.pattern, maxFactor);
    }
    if (seen.has(rule.pattern)) return t('the variant pattern {0} is listed twice', rule.pattern);
    seen.add(rule.pattern);
  }
  return undefined;
}

/**
 * Where the variant of `source` (a path with forward slashes) goes. The extension keeps the
 * source's spelling (`.JPG` stays `.JPG`), as the variant holds the same format.
 */
export function variantPath(source: string, rule: VariantRule): string {
  const slash = source.lastIndexOf('/');
  const folder = source.slice(0, slash + 1);
  const file = source.slice(slash + 1);
  const dot = file.lastIndexOf('.');
  const name = dot > 0 ? file.slice(0, dot) : file;
  const ext = dot > 0 ? file.slice(dot + 1) : '';
  const relative = rule.pattern.replaceAll('{name}', name).replaceAll('{ext}', ext);
  return normalize(folder + relative);
}

/** The largest scale of the rules: what the service passes must reach before each is resampled down. */
export function largestScale(rules: readonly VariantRule[]): number {
  return Math.max(...rules.map((r) => r.scale));
}

/** Segments with no `\\`, none empty or `.`, and `..` only at the start: it goes to a sibling folder at most. */
function isRelativePattern(pattern: string): boolean {
  if (pattern.includes('\\')) return false;
  const parts = pattern.split('/');
  const climbs = parts.findIndex((p) => p !== '..');
  return climbs >= 0 && parts.slice(climbs).every((p) => p !== '' && p !== '.' && p !== '..');
}

/** Resolves `..` segments; a path that climbs above its start keeps the leftover `..`. */
function normalize(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return (absolute ? '/' : '') + out.join('/');
}
