import { alphaIsFlat, hasMeaningfulAlpha, rebuildAlpha } from './alpha';
import { findWindow } from './alignment';
import { AspectComparison, compareAspect } from './aspect';
import { loadCodecs } from './codecs';
import { readExifOrientation } from './exif';
import { readSize, Size, sniffFormat, UpscalableFormat } from './format';
import { readJpegIcc, writeJpegWithSegments } from './jpeg';
import { keepMetadata, MetadataMode } from './metadata';
import { mayHaveAlpha } from './transparency';

/**
 * What makes a result safe to stand where its original stood: the transparency it lost given
 * back, and its proportions compared with the original's. Upscalers commonly return an opaque
 * image and may crop to a supported aspect ratio.
 */
export interface CheckedResult {
  bytes: Uint8Array;
  format: UpscalableFormat;
  size?: Size;
  /** The original's alpha channel was scaled and put back into the result. */
  alphaRebuilt: boolean;
  /**
   * The original was transparent and the result is opaque, but the result is cropped or padded
   * and where it lies on the original could not be told for certain: it is left opaque.
   */
  alphaUnaligned?: boolean;
  aspect?: AspectComparison;
}

export async function checkResult(source: Uint8Array, result: Uint8Array, options: { rebuildTransparency: boolean; quality?: number }): Promise<CheckedResult> {
  const format = sniffFormat(result) as UpscalableFormat;
  const sourceSize = readSize(source);
  let size = readSize(result);
  const aspect = sourceSize && size ? compareAspect(sourceSize, size) : undefined;
  if (!options.rebuildTransparency || !mayHaveAlpha(source)) {
    return { bytes: result, format, size, alphaRebuilt: false, aspect };
  }
  const codecs = await loadCodecs();
  const original = await codecs.decode(source);
  if (!hasMeaningfulAlpha(original)) {
    return { bytes: result, format, size, alphaRebuilt: false, aspect };
  }
  const upscaled = await codecs.decode(result);
  if (!alphaIsFlat(upscaled)) {
    return { bytes: result, format, size, alphaRebuilt: false, aspect };
  }
  // A JPEG result cannot hold alpha: the rebuilt image takes the original's format.
  const target: UpscalableFormat = format === 'jpeg' ? (sniffFormat(source) as UpscalableFormat) : format;
  // A cropped or padded result takes the alpha of the part of the original it shows; stretched
  // onto it, the mask would fall beside the shapes. A result of the original's proportions is
  // taken whole unless the match finds it lies elsewhere.
  const found = findWindow(original, upscaled);
  if (!found.window && !aspect?.matches) {
    return { bytes: result, format, size, alphaRebuilt: false, alphaUnaligned: true, aspect };
  }
  const rebuilt = rebuildAlpha(original, upscaled, found.window);
  const bytes = await codecs.encode(rebuilt, target, { quality: target === 'webp' ? (options.quality ?? 90) : undefined });
  size = { width: rebuilt.width, height: rebuilt.height };
  return { bytes, format: target, size, alphaRebuilt: true, aspect };
}

/**
 * The original's colour profile (and, for a JPEG, its EXIF orientation and resolution) carried
 * over to a result of the same format; everything else dropped ('color'), or kept too ('all').
 */
export function withOriginalMetadata(source: Uint8Array, result: Uint8Array, mode: MetadataMode): Uint8Array {
  if (sniffFormat(source) !== sniffFormat(result)) return result;
  if (sniffFormat(source) === 'jpeg' && turnedByService(source, result)) {
    // The service already applied the orientation (width and height came back swapped):
    // copying the tag would turn the image a second time. Keep only the colour profile.
    const icc = readJpegIcc(source);
    return icc.length ? writeJpegWithSegments(result, icc) : result;
  }
  return keepMetadata(source, result, mode);
}

/** An EXIF orientation of 5-8 (a quarter turn) whose result has the turned proportions. */
function turnedByService(source: Uint8Array, result: Uint8Array): boolean {
  const orientation = readExifOrientation(source) ?? 1;
  const a = readSize(source);
  const b = readSize(result);
  if (orientation < 5 || !a || !b || a.width === a.height) return false;
  return compareAspect({ width: a.height, height: a.width }, b).matches;
}
