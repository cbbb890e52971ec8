/**
 * Carries metadata (colour profile, EXIF and the like) from an original image over to a result
 * that was encoded anew, working on the files' bytes without decoding the pixels.
 */
import { sniffFormat } from './format';
import { keepJpeg } from './jpeg';
import { keepPng } from './png';
import { keepWebp } from './webp';

export type MetadataMode = 'color' | 'all';

/**
 * Copies the source's metadata into the result, both being the same format.
 * - `color`: the colour profile (PNG iCCP/sRGB/gAMA/cHRM, JPEG APP2 ICC, WebP ICCP), and a
 *   minimal EXIF with only orientation and resolution (JPEG APP1, PNG eXIf, WebP EXIF).
 * - `all`: the colour profile as above plus every other ancillary chunk or segment of the source
 *   that the result lacks (PNG ancillary chunks other than those tied to the pixel layout, JPEG
 *   APPn segments other than APP0, WebP EXIF and XMP chunks).
 * Returns `resultBytes` unchanged when the formats differ, there is nothing to copy, or either
 * file is malformed; never throws.
 */
export function keepMetadata(sourceBytes: Uint8Array, resultBytes: Uint8Array, mode: MetadataMode): Uint8Array {
  const format = sniffFormat(resultBytes);
  if (format !== sniffFormat(sourceBytes)) {
    return resultBytes;
  }
  const all = mode === 'all';
  try {
    let out: Uint8Array | undefined;
    switch (format) {
      case 'png':
        out = keepPng(sourceBytes, resultBytes, all);
        break;
      case 'jpeg':
        out = keepJpeg(sourceBytes, resultBytes, all);
        break;
      case 'webp':
        out = keepWebp(sourceBytes, resultBytes, all);
        break;
      default:
        return resultBytes;
    }
    return out && sniffFormat(out) === format ? out : resultBytes;
  } catch {
    return resultBytes;
  }
}
