import { libraries } from '../lazyLibraries';
import type { ImageFormat, Size } from '../images/format';

/** One image file found by the scan: its header read, never its pixels. */
export interface ScannedImage {
  /** Relative to the folder's workspace folder, with forward slashes. */
  path: string;
  bytes: number;
  /** From the first bytes; undefined when they are no known image. */
  format?: ImageFormat;
  size?: Size;
  /** Whether the record of done work says this file's current bytes are done. */
  done?: boolean;
}

export type SkipReason = 'done' | 'output' | 'tooLarge' | 'tooSmall' | 'format' | 'fileTooBig' | 'filtered';

export interface PlanRules {
  /** Images whose long side is this or more are left out (already large enough). */
  maxLongSide: number;
  /** Images whose long side is below this are left out (icons too small to be worth it). */
  minLongSide: number;
  maxUploadBytes: number;
  /** The name pattern of copies saved beside an original, such as `{name}@upscaled.{ext}`. */
  fileNamePattern: string;
  /** The variants' patterns (`{name}@2x.{ext}`): files of those names beside their base are outputs too. */
  variantPatterns?: string[];
  include?: string[];
  exclude?: string[];
}

export interface Plan {
  candidates: ScannedImage[];
  skipped: { image: ScannedImage; reason: SkipReason }[];
  /** Bytes of the candidates. */
  totalBytes: number;
}

/** Sorts the scan into what would be sent and what is left out, with the reason. */
export function makePlan(images: readonly ScannedImage[], rules: PlanRules): Plan {
  // A pattern into another folder (Android's densities) names files by their folder, not their name.
  const matchers = [rules.fileNamePattern, ...(rules.variantPatterns ?? []).filter((p) => !p.includes('/'))].map(outputMatcher);
  const output = (name: string) => matchers.some((m) => m(name));
  const { picomatch } = libraries();
  const included = rules.include?.length ? picomatch(rules.include, { dot: true, nocase: true }) : () => true;
  const excluded = rules.exclude?.length ? picomatch(rules.exclude, { dot: true, nocase: true }) : () => false;
  const plan: Plan = { candidates: [], skipped: [], totalBytes: 0 };
  for (const image of [...images].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const reason = skipReason(image, rules, output, (p) => included(p) && !excluded(p));
    if (reason) {
      plan.skipped.push({ image, reason });
    } else {
      plan.candidates.push(image);
      plan.totalBytes += image.bytes;
    }
  }
  return plan;
}

function skipReason(image: ScannedImage, rules: PlanRules, isOutput: (name: string) => boolean, wanted: (path: string) => boolean): SkipReason | undefined {
  const name = image.path.slice(image.path.lastIndexOf('/') + 1);
  if (isOutput(name)) return 'output';
  if (!wanted(image.path)) return 'filtered';
  if (image.done) return 'done';
  if (image.format !== 'png' && image.format !== 'jpeg' && image.format !== 'webp') return 'format';
  const long = image.size ? Math.max(image.size.width, image.size.height) : undefined;
  if (long === undefined) return 'format';
  // Large enough already says more than too heavy to send.
  if (long >= rules.maxLongSide) return 'tooLarge';
  if (long < rules.minLongSide) return 'tooSmall';
  if (image.bytes > rules.maxUploadBytes) return 'fileTooBig';
  return undefined;
}

/** Tells the product's own outputs by their name: `logo@upscaled.png`, `logo@upscaled-2.png`. */
export function outputMatcher(pattern: string): (name: string) => boolean {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const [before, after] = pattern.split('{name}');
  const suffix = (after ?? '').replace('.{ext}', '');
  if (!suffix && !before) return () => false;
  // The counter that keeps earlier copies sits before the extension: "-2", "-3"…
  const regex = new RegExp(`^${escape(before)}.+${escape(suffix)}(-\\d+)?\\.[^.]+$`, 'i');
  return (name) => regex.test(name);
}

export interface Price {
  results: number;
  amount: number;
  currency: string;
}

/** What a plan costs: images × results per image × price per result. */
export function priceOf(imageCount: number, resultsPerImage: number, pricePerResult: number, currency: string): Price {
  const results = imageCount * resultsPerImage;
  return { results, amount: Math.round(results * pricePerResult * 1e6) / 1e6, currency };
}
