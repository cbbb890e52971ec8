import { t } from '../i18n';
import type { Size } from './format';

/**
 * How large a run makes each image: a factor, a width or a height in pixels (the other side in
 * proportion), or the largest size that fits within a box. Written as text in settings and preset
 * files: "1.5x", "2x", "3x", "4x" (any factor above 1 up to 8), "width:512", "height:512",
 * "fit:1024x768".
 */
export type Target =
  | { kind: 'scale'; factor: number }
  | { kind: 'width'; px: number }
  | { kind: 'height'; px: number }
  | { kind: 'fit'; width: number; height: number };

/** What one pass of the service does at most: Ideogram's upscale returns up to twice the input's sides. */
export const serviceFactor = 2;
/** The largest enlargement a run makes: three passes. */
export const maxFactor = 8;
const maxPixels = 65_535;

/** Today's behaviour, and the default: one pass at twice the size. */
export const defaultTarget: Target = { kind: 'scale', factor: 2 };

/** The target written as `text`, or undefined when it is not one (see `targetProblem` for why). */
export function parseTarget(text: string): Target | undefined {
  const s = text.trim().toLowerCase();
  let m = /^(\d+(?:\.\d+)?)x$/.exec(s);
  if (m) {
    const factor = Number(m[1]);
    return factor > 1 && factor <= maxFactor ? { kind: 'scale', factor } : undefined;
  }
  m = /^(width|height):(\d+)$/.exec(s);
  if (m) {
    const px = Number(m[2]);
    return px >= 1 && px <= maxPixels ? { kind: m[1] as 'width' | 'height', px } : undefined;
  }
  m = /^fit:(\d+)x(\d+)$/.exec(s);
  if (m) {
    const [width, height] = [Number(m[1]), Number(m[2])];
    return width >= 1 && height >= 1 && width <= maxPixels && height <= maxPixels ? { kind: 'fit', width, height } : undefined;
  }
  return undefined;
}

/** Why `text` is not a target, for a setting or a preset file; undefined when it is one. */
export function targetProblem(text: string): string | undefined {
  if (parseTarget(text)) return undefined;
  return t('"{0}" is not a target size: write a factor above 1 up to {1} ("1.5x", "3x"), "width:512", "height:512" or "fit:1024x768"', text, maxFactor);
}

/** The canonical text of a target: what `parseTarget` reads back. */
export function formatTarget(target: Target): string {
  switch (target.kind) {
    case 'scale':
      return `${target.factor}x`;
    case 'width':
    case 'height':
      return `${target.kind}:${target.px}`;
    case 'fit':
      return `fit:${target.width}x${target.height}`;
  }
}

/** How much larger the target makes `source` (the same for both sides: proportions are kept). */
export function targetFactor(source: Size, target: Target): number {
  switch (target.kind) {
    case 'scale':
      return target.factor;
    case 'width':
      return target.px / source.width;
    case 'height':
      return target.px / source.height;
    case 'fit':
      return Math.min(target.width / source.width, target.height / source.height);
  }
}

/**
 * The exact size of the result. Each side is the source's side times the factor, rounded to the
 * nearest pixel (halves up) and never under 1; a side the target names is that number exactly,
 * and "fit" never exceeds its box.
 */
export function outputSize(source: Size, target: Target): Size {
  const k = targetFactor(source, target);
  const side = (n: number) => Math.max(1, Math.round(n * k));
  switch (target.kind) {
    case 'width':
      return { width: target.px, height: side(source.height) };
    case 'height':
      return { width: side(source.width), height: target.px };
    case 'fit':
      return { width: Math.min(target.width, side(source.width)), height: Math.min(target.height, side(source.height)) };
    default:
      return { width: side(source.width), height: side(source.height) };
  }
}

/**
 * How many times the service upscales: each pass doubles the sides at most, so 2x takes one,
 * 3x and 4x two, up to 8x three. The last pass's result is then resampled to the exact size.
 */
export function passesFor(factor: number): number {
  // A factor a hair above a power of two (2.0000001 from rounding) takes no extra pass.
  return Math.max(1, Math.ceil(Math.log2(factor) - 1e-9));
}

/**
 * Why `source` cannot be brought to `target`, or undefined: the target must make it larger, and
 * by no more than `maxFactor`. Said before anything is sent.
 */
export function sizeProblem(name: string, source: Size, target: Target): string | undefined {
  const k = targetFactor(source, target);
  const to = outputSize(source, target);
  if (!(k > 1) || (to.width <= source.width && to.height <= source.height)) {
    return t('{0} is {1} already, not smaller than the target {2}; nothing was sent.', name, `${source.width}×${source.height}`, formatTarget(target));
  }
  if (k > maxFactor + 1e-9) {
    return t('{0} would be enlarged {1} times to reach {2}, more than {3}; choose a smaller target.', name, +k.toFixed(2), formatTarget(target), maxFactor);
  }
  return undefined;
}

/** Results billed for one image: every pass bills each result it makes. */
export function billedResults(passes: number, resultsPerImage: number): number {
  return passes * resultsPerImage;
}

/**
 * The passes and billed results of a run, image by image (sizes from the files' headers; an image
 * whose size is unknown counts one pass per 2x of a scale target, or one for the others).
 */
export function runPasses(sizes: readonly (Size | undefined)[], target: Target, resultsPerImage: number): { passes: number; results: number } {
  let passes = 0;
  for (const size of sizes) passes += passesFor(size ? targetFactor(size, target) : target.kind === 'scale' ? target.factor : serviceFactor);
  return { passes, results: billedResults(passes, resultsPerImage) };
}
