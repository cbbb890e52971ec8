import { sniffFormat } from './format';
import { pngChunkTypes } from './png';
import { readPngAlpha } from './pngAlpha';
import { webpChunks } from './webp';

/** WebP chunks that say nothing of transparency. */
const opaqueWebpChunks = new Set(['VP8 ', 'VP8X', 'ICCP', 'EXIF', 'XMP ']);

/**
 * Whether an image's header leaves room for transparency. False only where the format says there
 * is none: a JPEG; a PNG of grey, colour or a palette without a tRNS chunk; a lossy WebP without
 * an alpha chunk or flag. Anything else, a damaged file included, is decoded to see.
 */
export function mayHaveAlpha(bytes: Uint8Array): boolean {
  try {
    switch (sniffFormat(bytes)) {
      case 'jpeg':
        return false;
      case 'png': {
        // The colour type of IHDR, the first chunk: 4 is grey with alpha, 6 colour with alpha.
        const colourType = bytes[25];
        return bytes.length < 26 || colourType === 4 || colourType === 6 || pngChunkTypes(bytes).includes('tRNS');
      }
      case 'webp': {
        const chunks = webpChunks(bytes);
        const extended = chunks.find((c) => c.fourcc === 'VP8X');
        if (extended && (bytes[extended.data] & 0x10) !== 0) return true;
        return chunks.some((c) => !opaqueWebpChunks.has(c.fourcc));
      }
      default:
        return true;
    }
  } catch {
    return true;
  }
}

/**
 * Whether a result is kept as it came, told without the codecs (see checkResult, which decodes to
 * tell): the original's header, or the alpha of a small 8-bit PNG, says it is opaque, or the
 * result's alpha (such a PNG too) is its own and not flat. False when only a decode can tell.
 */
export async function keptAsItCame(original: Uint8Array, result: Uint8Array): Promise<boolean> {
  if (!mayHaveAlpha(original)) return true;
  const source = await readPngAlpha(original);
  if (source && !source.belowOpaque) return true;
  const received = mayHaveAlpha(result) ? await readPngAlpha(result) : undefined;
  return received !== undefined && !received.flat;
}
