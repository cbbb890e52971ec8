import type { Size } from './format';

export interface AspectComparison {
  /** result width / source width */
  factorX: number;
  /** result height / source height */
  factorY: number;
  /** The mean of the two factors. */
  factor: number;
  /** False when the result is not the source scaled evenly (cropped, padded or stretched). */
  matches: boolean;
}

/**
 * How `result` relates to `source` in size. The aspect ratios match when the source scaled evenly
 * to the result's width (or height) gives the result's other side within 1 pixel plus 0.5%, which
 * allows for the rounding a service does when it scales by a non-integer factor.
 */
export function compareAspect(source: Size, result: Size): AspectComparison {
  if (!(valid(source) && valid(result))) {
    return { factorX: 0, factorY: 0, factor: 0, matches: false };
  }
  const factorX = result.width / source.width;
  const factorY = result.height / source.height;
  const factor = (factorX + factorY) / 2;
  const near = (actual: number, expected: number) => Math.abs(actual - expected) <= 1 + 0.005 * expected;
  // Scaling evenly by one side's factor must give the other side, give or take rounding.
  const matches = near(result.height, source.height * factorX) || near(result.width, source.width * factorY);
  return { factorX, factorY, factor, matches };
}

/** True when the result is larger than the source in at least one side: a crop may keep the other. */
export function isEnlargement(source: Size, result: Size): boolean {
  return valid(source) && valid(result) && (result.width > source.width || result.height > source.height);
}

function valid(s: Size): boolean {
  return Number.isFinite(s.width) && Number.isFinite(s.height) && s.width > 0 && s.height > 0;
}
