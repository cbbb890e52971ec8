import { promisify } from 'node:util';
import { inflate } from 'node:zlib';
import { u32be } from './bytes';
import { pngChunks } from './png';

const inflated = promisify(inflate);

/** What a PNG's alpha channel holds: some pixel below opaque, and whether every pixel has the same alpha. */
export interface PngAlpha {
  belowOpaque: boolean;
  flat: boolean;
}

/**
 * Small enough to unfilter on the extension host's thread in a millisecond or two (a 512×512 RGBA
 * image): starting the image worker and its codecs for such a check costs more than the check.
 */
const hostAlphaMaxBytes = 1 << 20;

/**
 * The alpha channel of a non-interlaced 8-bit PNG with one (colour types 4 and 6) whose pixels
 * take at most `maxBytes`, read with node's zlib (off the thread) and unfiltered here. Undefined
 * for anything else and for a file that does not read cleanly: the codecs decide those, and say
 * what is damaged.
 */
export async function readPngAlpha(bytes: Uint8Array, maxBytes = hostAlphaMaxBytes): Promise<PngAlpha | undefined> {
  let chunks;
  try {
    chunks = pngChunks(bytes);
  } catch {
    return undefined;
  }
  const ihdr = chunks[0].start + 8;
  const width = u32be(bytes, ihdr);
  const height = u32be(bytes, ihdr + 4);
  const [depth, colourType, , , interlace] = bytes.subarray(ihdr + 8, ihdr + 13);
  const channels = colourType === 6 ? 4 : colourType === 4 ? 2 : 0;
  const stride = width * channels;
  if (!channels || depth !== 8 || interlace !== 0 || width === 0 || height === 0 || stride * height > maxBytes) return undefined;
  const data = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => bytes.subarray(c.start + 8, c.end - 4)));
  let raw: Buffer;
  try {
    raw = await inflated(data);
  } catch {
    return undefined;
  }
  if (raw.length < (stride + 1) * height) return undefined;
  return unfilter(raw, stride, height, channels) ? alphaOf(raw, stride, height, channels) : undefined;
}

/**
 * PNG's five row filters undone in place: each row of `stride` bytes follows its filter byte.
 * False at a filter that does not exist.
 */
export function unfilter(raw: Uint8Array, stride: number, height: number, bpp: number): boolean {
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1) + 1;
    const above = row - stride - 1;
    const filter = raw[row - 1];
    if (filter > 4) return false;
    for (let x = 0; x < stride; x++) {
      const left = x >= bpp ? raw[row + x - bpp] : 0;
      const up = y > 0 ? raw[above + x] : 0;
      if (filter === 1) raw[row + x] += left;
      else if (filter === 2) raw[row + x] += up;
      else if (filter === 3) raw[row + x] += (left + up) >> 1;
      else if (filter === 4) raw[row + x] += paeth(left, up, x >= bpp && y > 0 ? raw[above + x - bpp] : 0);
    }
  }
  return true;
}

/** The alpha of unfiltered rows, the last of each pixel's `bpp` bytes. */
function alphaOf(raw: Uint8Array, stride: number, height: number, bpp: number): PngAlpha {
  const first = raw[bpp];
  let belowOpaque = false;
  let flat = true;
  for (let y = 0; y < height; y++) {
    const end = (y + 1) * (stride + 1);
    for (let i = y * (stride + 1) + bpp; i < end; i += bpp) {
      if (raw[i] < 255) belowOpaque = true;
      if (raw[i] !== first) flat = false;
    }
  }
  return { belowOpaque, flat };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
