import { alphaIsFlat, hasMeaningfulAlpha, rebuildAlpha } from './alpha';
import { findWindow } from './alignment';
import { compareAspect } from './aspect';
import { asReceived, CheckedResult } from './checkedResult';
import { loadCodecs } from './codecs';
import { readExifOrientation } from './exif';
import { readSize, sniffFormat, UpscalableFormat } from './format';
import { readJpegIcc, writeJpegWithSegments } from './jpeg';
import { keepMetadata, MetadataMode } from './metadata';
import { mayHaveAlpha } from './transparency';

/**
 * The result with its original's transparency given back when the service returned it opaque (at
 * the part of the original it shows), or as it came.
 */
export async function checkResult(source: Uint8Array, result: Uint8Array, options: { rebuildTransparency: boolean; quality?: number }): Promise<CheckedResult> {
  const asIs = asReceived(source, result);
  if (!options.rebuildTransparency || !mayHaveAlpha(source)) return asIs;
  const codecs = await loadCodecs();
  const original = await codecs.decode(source);
  if (!hasMeaningfulAlpha(original)) return asIs;
  const upscaled = await codecs.decode(result);
  if (!alphaIsFlat(upscaled)) return asIs;
  // A JPEG result cannot hold alpha: the rebuilt image takes the original's format.
  const target: UpscalableFormat = asIs.format === 'jpeg' ? (sniffFormat(source) as UpscalableFormat) : asIs.format;
  // A cropped or padded result takes the alpha of the part of the original it shows; stretched
  // onto it, the mask would fall beside the shapes. A result of the original's proportions is
  // taken whole unless the match finds it lies elsewhere.
  const found = findWindow(original, upscaled);
  if (!found.window && !asIs.aspect?.matches) return { ...asIs, alphaUnaligned: true };
  const rebuilt = rebuildAlpha(original, upscaled, found.window);
  const bytes = await codecs.encode(rebuilt, target, { quality: target === 'webp' ? (options.quality ?? 90) : undefined });
  return { bytes, format: target, size: { width: rebuilt.width, height: rebuilt.height }, alphaRebuilt: true, aspect: asIs.aspect };
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
