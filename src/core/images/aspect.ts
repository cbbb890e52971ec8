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

/** `from 128×96 to 256×192 (2×)`, or with both factors when the aspect ratio changed. */
export function describeResize(source: Size, result: Size): string {
  const c = compareAspect(source, result);
  const sizes = `from ${source.width}×${source.height} to ${result.width}×${result.height}`;
  if (c.factor === 0) {
    return sizes;
  }
  if (c.matches) {
    return `${sizes} (${times(c.factor)})`;
  }
  return `${sizes} (${times(c.factorX)} wide, ${times(c.factorY)} high)`;
}

function valid(s: Size): boolean {
  return Number.isFinite(s.width) && Number.isFinite(s.height) && s.width > 0 && s.height > 0;
}

function times(f: number): string {
  return `${Number(f.toFixed(2))}×`;
}
