import { AspectComparison, compareAspect } from './aspect';
import { readSize, Size, sniffFormat, UpscalableFormat } from './format';

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

/** A result kept as it came: its format and size from its header, its proportions against the original's. */
export function asReceived(source: Uint8Array, result: Uint8Array): CheckedResult {
  const sourceSize = readSize(source);
  const size = readSize(result);
  return { bytes: result, format: sniffFormat(result) as UpscalableFormat, size, alphaRebuilt: false, aspect: sourceSize && size ? compareAspect(sourceSize, size) : undefined };
}
