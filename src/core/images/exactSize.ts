import { compareAspect, isEnlargement } from './aspect';
import { readExifOrientation } from './exif';
import { readSize, Size } from './format';
import { outputSize, Target } from './target';

/**
 * The size a result must have to meet `target`, as its pixels are stored. A target speaks of the
 * image as it is seen: for a JPEG whose EXIF turns it a quarter (orientation 5-8) that is the
 * stored size turned. A result the service turned already has the seen proportions; one it left
 * as stored keeps the stored ones. Undefined for a result cropped or padded to other proportions:
 * stretching it to the target would distort it (the replace refuses it on its proportions); and
 * for one no larger than the original (a thumbnail, a placeholder): enlarged by the resampler alone,
 * it would pass for an upscale.
 */
export function exactSizeFor(source: Uint8Array, result: Size, target: Target): Size | undefined {
  const stored = readSize(source);
  if (!stored || !isEnlargement(stored, result)) return undefined;
  const quarter = (readExifOrientation(source) ?? 1) >= 5;
  const seen = quarter ? turn(stored) : stored;
  const want = outputSize(seen, target);
  if (compareAspect(stored, result).matches) return quarter ? turn(want) : want;
  if (quarter && compareAspect(seen, result).matches) return want;
  return undefined;
}

function turn(s: Size): Size {
  return { width: s.height, height: s.width };
}
