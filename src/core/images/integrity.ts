import { cutShort, DamagedImage, jpegSegments } from './bytes';
import { sniffFormat } from './format';
import { pngChunks } from './png';
import { webpChunks } from './webp';

/**
 * Why a file that starts like an image is not a whole one, or undefined when its framing holds
 * from start to end. A result cut short in transit, or by the service, still has a good header
 * and size, and would otherwise be saved, and even replace an original, as a broken picture.
 * Only the container is walked (no decoding), so it costs next to nothing per result.
 */
export function damageOf(bytes: Uint8Array): string | undefined {
  try {
    switch (sniffFormat(bytes)) {
      case 'png':
        if (pngChunks(bytes).at(-1)?.type !== 'IEND') throw cutShort('PNG');
        return undefined;
      case 'jpeg':
        jpegSegments(bytes);
        if (!endsWithEoi(bytes)) throw cutShort('JPEG');
        return undefined;
      case 'webp':
        webpChunks(bytes);
        return undefined;
      default:
        return undefined;
    }
  } catch (err) {
    if (err instanceof DamagedImage) return err.message;
    if (err instanceof RangeError) return cutShort(sniffFormat(bytes)?.toUpperCase() ?? '').message;
    throw err;
  }
}

/** Encoders and cameras may pad after the end-of-image marker; a cut-short file has none near its end. */
function endsWithEoi(b: Uint8Array): boolean {
  for (let i = b.length - 2; i >= Math.max(2, b.length - 4096); i--) {
    if (b[i] === 0xff && b[i + 1] === 0xd9) return true;
  }
  return false;
}
