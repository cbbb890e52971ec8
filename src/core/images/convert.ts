import { hasMeaningfulAlpha } from './alpha';
import { loadCodecs, Pixels } from './codecs';
import { readSize, Size, sniffFormat, UpscalableFormat } from './format';

export interface ConvertOptions {
  /** Quality (1-100) of a JPEG or WebP; the codecs' default (90) when absent. */
  quality?: number;
  /** Scales the image to this size (to keep the original's dimensions). */
  resizeTo?: Size;
}

/**
 * Re-encodes an image as `to`, scaling it first when `resizeTo` differs from its size (jSquash's
 * Lanczos-3, with colours weighted by alpha).
 * A JPEG has no transparency, so transparent pixels are laid on white.
 * Bytes already in format `to` and needing no resize are returned as they are.
 */
export async function convertImage(bytes: Uint8Array, to: UpscalableFormat, options: ConvertOptions = {}): Promise<Uint8Array> {
  const codecs = await loadCodecs();
  const { resizeTo } = options;
  if (sniffFormat(bytes) === to && !resizeTo) {
    return bytes;
  }
  const decoded = await codecs.decode(bytes);
  let pixels: Pixels = { width: decoded.width, height: decoded.height, data: decoded.data };
  if (resizeTo && (resizeTo.width !== pixels.width || resizeTo.height !== pixels.height)) {
    pixels = await codecs.resize(pixels, resizeTo);
  } else if (decoded.format === to) {
    return bytes;
  }
  if (to === 'jpeg' && hasMeaningfulAlpha(pixels)) {
    pixels = flatten(pixels, 255);
  }
  return codecs.encode(pixels, to, { quality: options.quality });
}

/** The pixels laid on a plain grey `background` (0 black - 255 white), made opaque. */
function flatten(p: Pixels, background: number): Pixels {
  const data = new Uint8ClampedArray(p.data.length);
  const d = p.data;
  for (let i = 0; i < d.length; i += 4) {
    const a = d[i + 3] / 255;
    const under = background * (1 - a);
    data[i] = d[i] * a + under;
    data[i + 1] = d[i + 1] * a + under;
    data[i + 2] = d[i + 2] * a + under;
    data[i + 3] = 255;
  }
  return { width: p.width, height: p.height, data };
}

/**
 * Resamples `result` (an image file) to `size` with jSquash's Lanczos-3 and encodes it in its own
 * format; the bytes as they are when they have that size already.
 */
export async function resampleTo(result: Uint8Array, size: Size, quality?: number): Promise<Uint8Array> {
  const now = readSize(result);
  if (now && now.width === size.width && now.height === size.height) return result;
  const codecs = await loadCodecs();
  const decoded = await codecs.decode(result);
  const resized = await codecs.resize(decoded, size);
  return codecs.encode(resized, sniffFormat(result) as UpscalableFormat, { quality });
}
