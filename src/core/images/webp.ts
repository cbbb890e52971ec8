import { ascii, concat, cutShort, malformed, notA, u16le, u24le, u32le, writeU24le, writeU32le } from './bytes';
import { minimalExifTiff } from './exif';

const VP8X_ICC = 0x20;
const VP8X_ALPHA = 0x10;
const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

interface RiffChunk {
  fourcc: string;
  /** Offset of the FourCC. */
  start: number;
  /** Offset of the payload. */
  data: number;
  size: number;
  /** Offset just past the payload and its padding byte. */
  end: number;
}

export function webpChunks(b: Uint8Array): RiffChunk[] {
  if (b.length < 20 || ascii(b, 0, 4) !== 'RIFF' || ascii(b, 8, 4) !== 'WEBP') {
    throw notA('WebP');
  }
  const limit = 8 + u32le(b, 4);
  if (limit > b.length || limit < 12) {
    throw cutShort('WebP');
  }
  const chunks: RiffChunk[] = [];
  let i = 12;
  while (i < limit) {
    if (i + 8 > limit) {
      throw cutShort('WebP');
    }
    const size = u32le(b, i + 4);
    const end = i + 8 + size + (size & 1);
    if (end > limit) {
      throw cutShort('WebP');
    }
    chunks.push({ fourcc: ascii(b, i, 4), start: i, data: i + 8, size, end });
    i = end;
  }
  if (chunks.length === 0) {
    throw malformed('WebP');
  }
  return chunks;
}

function webpPayload(b: Uint8Array, fourcc: string): Uint8Array | undefined {
  const c = webpChunks(b).find((x) => x.fourcc === fourcc);
  return c && b.slice(c.data, c.data + c.size);
}

/** The ICC profile held in a WebP's ICCP chunk. */
export function readWebpIcc(bytes: Uint8Array): Uint8Array | undefined {
  return webpPayload(bytes, 'ICCP');
}

/** The payload of a WebP's EXIF chunk. */
export function readWebpExif(bytes: Uint8Array): Uint8Array | undefined {
  return webpPayload(bytes, 'EXIF');
}

/**
 * The WebP as an extended (VP8X) file with `icc` in its ICCP chunk, replacing any profile it had.
 * The alpha flag is set when the image has an ALPH chunk or a lossless bitstream with alpha.
 */
export function writeWebpWithIcc(bytes: Uint8Array, icc: Uint8Array): Uint8Array {
  return writeWebpWithChunks(bytes, { ICCP: icc });
}

type WebpMeta = Partial<Record<'ICCP' | 'EXIF' | 'XMP ', Uint8Array>>;

function writeWebpWithChunks(bytes: Uint8Array, meta: WebpMeta): Uint8Array {
  const chunks = webpChunks(bytes);
  const first = chunks[0];
  let flags: number;
  let canvas: { width: number; height: number };
  if (first.fourcc === 'VP8X') {
    if (first.size < 10) {
      throw cutShort('WebP');
    }
    flags = bytes[first.data];
    canvas = vp8xCanvas(bytes, first.data);
  } else if (first.fourcc === 'VP8 ' || first.fourcc === 'VP8L') {
    flags = 0;
    canvas = bitstreamSize(bytes, first);
  } else {
    throw malformed('WebP');
  }
  const hasAlpha = chunks.some((c) => c.fourcc === 'ALPH' || (c.fourcc === 'VP8L' && c.size >= 5 && (u32le(bytes, c.data + 1) >>> 28) & 1));
  if (hasAlpha) {
    flags |= VP8X_ALPHA;
  }
  const raw = (c: RiffChunk) => bytes.subarray(c.start, c.end);
  const find = (fourcc: keyof WebpMeta): Uint8Array | undefined => {
    if (meta[fourcc]) {
      return riffChunk(fourcc, meta[fourcc]);
    }
    const c = chunks.find((x) => x.fourcc === fourcc);
    return c && raw(c);
  };
  const icc = find('ICCP');
  const exif = find('EXIF');
  const xmp = find('XMP ');
  flags = (flags & ~(VP8X_ICC | VP8X_EXIF | VP8X_XMP)) | (icc ? VP8X_ICC : 0) | (exif ? VP8X_EXIF : 0) | (xmp ? VP8X_XMP : 0);
  const vp8x = new Uint8Array(10);
  vp8x[0] = flags;
  writeU24le(vp8x, 4, canvas.width - 1);
  writeU24le(vp8x, 7, canvas.height - 1);
  const parts: Uint8Array[] = [riffChunk('VP8X', vp8x)];
  if (icc) {
    parts.push(icc);
  }
  for (const c of chunks) {
    // VP8X is rebuilt; the metadata chunks go to their places (ICCP first, EXIF and XMP last).
    if (c.fourcc !== 'VP8X' && c.fourcc !== 'ICCP' && c.fourcc !== 'EXIF' && c.fourcc !== 'XMP ') {
      parts.push(raw(c));
    }
  }
  if (exif) {
    parts.push(exif);
  }
  if (xmp) {
    parts.push(xmp);
  }
  const body = concat(parts);
  const out = new Uint8Array(12 + body.length);
  out.set([0x52, 0x49, 0x46, 0x46], 0); // RIFF
  writeU32le(out, 4, 4 + body.length);
  out.set([0x57, 0x45, 0x42, 0x50], 8); // WEBP
  out.set(body, 12);
  return out;
}

function bitstreamSize(b: Uint8Array, c: RiffChunk): { width: number; height: number } {
  if (c.fourcc === 'VP8 ') {
    // frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height
    if (c.size < 10 || b[c.data + 3] !== 0x9d || b[c.data + 4] !== 0x01 || b[c.data + 5] !== 0x2a) {
      throw malformed('WebP');
    }
    return vp8Size(b, c.data);
  }
  if (c.size < 5 || b[c.data] !== 0x2f) {
    throw malformed('WebP');
  }
  return vp8lSize(b, c.data);
}

// The size readers below check neither chunk size nor start code: readSize takes a header as it
// comes, while bitstreamSize and writeWebpWithChunks check the chunk first. `data` is the offset
// of the chunk's payload.

export function vp8Size(b: Uint8Array, data: number): { width: number; height: number } {
  return { width: u16le(b, data + 6) & 0x3fff, height: u16le(b, data + 8) & 0x3fff };
}

export function vp8lSize(b: Uint8Array, data: number): { width: number; height: number } {
  const bits = u32le(b, data + 1);
  return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
}

export function vp8xCanvas(b: Uint8Array, data: number): { width: number; height: number } {
  return { width: u24le(b, data + 4) + 1, height: u24le(b, data + 7) + 1 };
}

function riffChunk(fourcc: string, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length + (payload.length & 1));
  for (let i = 0; i < 4; i++) {
    out[i] = fourcc.charCodeAt(i);
  }
  writeU32le(out, 4, payload.length);
  out.set(payload, 8);
  return out;
}

export function keepWebp(source: Uint8Array, result: Uint8Array, all: boolean): Uint8Array | undefined {
  const meta: WebpMeta = {};
  const icc = webpPayload(source, 'ICCP');
  if (icc) {
    meta.ICCP = icc;
  }
  if (!all) {
    // Orientation and resolution only, as for a JPEG: how the picture is shown, not where it was taken.
    const exif = webpPayload(source, 'EXIF');
    const minimal = exif && minimalExifTiff(exif);
    if (minimal) {
      meta.EXIF = minimal;
    }
  } else {
    const present = new Set(webpChunks(result).map((c) => c.fourcc));
    for (const fourcc of ['EXIF', 'XMP '] as const) {
      const payload = present.has(fourcc) ? undefined : webpPayload(source, fourcc);
      if (payload) {
        meta[fourcc] = payload;
      }
    }
  }
  return Object.keys(meta).length > 0 ? writeWebpWithChunks(result, meta) : undefined;
}
