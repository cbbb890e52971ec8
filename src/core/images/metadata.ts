/**
 * Carries metadata (colour profile, EXIF and the like) from an original image over to a result
 * that was encoded anew, working on the files' bytes without decoding the pixels.
 */
import { sniffFormat } from './format';

export type MetadataMode = 'color' | 'all';

/**
 * Copies the source's metadata into the result, both being the same format.
 * - `color`: the colour profile (PNG iCCP/sRGB/gAMA/cHRM, JPEG APP2 ICC, WebP ICCP), and for a
 *   JPEG a minimal EXIF with only orientation and resolution.
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
  try {
    let out: Uint8Array | undefined;
    switch (format) {
      case 'png':
        out = keepPng(sourceBytes, resultBytes, mode);
        break;
      case 'jpeg':
        out = keepJpeg(sourceBytes, resultBytes, mode);
        break;
      case 'webp':
        out = keepWebp(sourceBytes, resultBytes, mode);
        break;
      default:
        return resultBytes;
    }
    return out && sniffFormat(out) === format ? out : resultBytes;
  } catch {
    return resultBytes;
  }
}

// ---------------------------------------------------------------------------------------------
// CRC-32 (ISO 3309, as used by PNG)

let crcTable: Uint32Array | undefined;

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) {
        c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) {
    c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// PNG

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Chunks that say how to interpret colours. iCCP and sRGB exclude each other. */
const PNG_COLOR = new Set(['iCCP', 'sRGB', 'gAMA', 'cHRM']);

/** Ancillary chunks that depend on the pixel layout (colour type, bit depth, palette, frames). */
const PNG_LAYOUT = new Set(['tRNS', 'bKGD', 'hIST', 'sBIT', 'acTL', 'fcTL', 'fdAT']);

/** Ancillary chunks not marked safe-to-copy that stay right when only the pixels change. */
const PNG_KNOWN = new Set(['cICP', 'mDCV', 'cLLI', 'sPLT', 'tIME', 'pCAL', 'sCAL', 'sTER']);

interface PngChunk {
  type: string;
  /** Offset of the length field. */
  start: number;
  /** Offset just past the CRC. */
  end: number;
}

function pngChunks(b: Uint8Array): PngChunk[] {
  if (b.length < 8 || PNG_SIGNATURE.some((v, i) => b[i] !== v)) {
    throw new Error('not a PNG');
  }
  const chunks: PngChunk[] = [];
  let i = 8;
  while (i < b.length) {
    if (i + 12 > b.length) {
      throw new Error('truncated PNG chunk');
    }
    const length = u32be(b, i);
    const end = i + 12 + length;
    if (length > 0x7fffffff || end > b.length) {
      throw new Error('truncated PNG chunk');
    }
    const type = ascii(b, i + 4, 4);
    if (!/^[A-Za-z]{4}$/.test(type)) {
      throw new Error('bad PNG chunk type');
    }
    chunks.push({ type, start: i, end });
    i = end;
    if (type === 'IEND') {
      break;
    }
  }
  if (chunks[0]?.type !== 'IHDR') {
    throw new Error('PNG does not start with IHDR');
  }
  return chunks;
}

function pngCrcOk(b: Uint8Array, c: PngChunk): boolean {
  return crc32(b, c.start + 4, c.end - 4) === u32be(b, c.end - 4);
}

/** The types of a PNG's chunks, in order. Throws when the file is malformed. */
export function pngChunkTypes(bytes: Uint8Array): string[] {
  return pngChunks(bytes).map((c) => c.type);
}

/** The raw chunks (length, type, data, CRC) of iCCP, sRGB, gAMA and cHRM, in file order. */
export function readPngColorChunks(bytes: Uint8Array): Uint8Array[] {
  return pngChunks(bytes)
    .filter((c) => PNG_COLOR.has(c.type) && pngCrcOk(bytes, c))
    .map((c) => bytes.slice(c.start, c.end));
}

/**
 * Inserts whole chunks right after IHDR. Chunks of the result that have the same type as an
 * inserted one are dropped; inserting any colour chunk drops all of the result's colour chunks,
 * since its own (an sRGB say) would contradict the inserted profile.
 */
export function writePngWithChunks(bytes: Uint8Array, chunks: Uint8Array[]): Uint8Array {
  const existing = pngChunks(bytes);
  const replaced = new Set<string>();
  for (const chunk of chunks) {
    const length = chunk.length >= 12 ? u32be(chunk, 0) : -1;
    const type = ascii(chunk, 4, 4);
    if (length + 12 !== chunk.length || !/^[A-Za-z]{4}$/.test(type)) {
      throw new Error('malformed PNG chunk');
    }
    if (type === 'IHDR' || type === 'PLTE' || type === 'IDAT' || type === 'IEND') {
      throw new Error(`cannot insert a ${type} chunk`);
    }
    replaced.add(type);
    if (PNG_COLOR.has(type)) {
      PNG_COLOR.forEach((t) => replaced.add(t));
    }
  }
  const parts: Uint8Array[] = [bytes.subarray(0, existing[0].end), ...chunks];
  for (const c of existing.slice(1)) {
    if (!replaced.has(c.type)) {
      parts.push(bytes.subarray(c.start, c.end));
    }
  }
  const last = existing[existing.length - 1];
  parts.push(bytes.subarray(last.end)); // anything after IEND, kept as it was
  return concat(parts);
}

function keepPng(source: Uint8Array, result: Uint8Array, mode: MetadataMode): Uint8Array | undefined {
  const sourceChunks = pngChunks(source);
  const resultTypes = new Set(pngChunks(result).map((c) => c.type));
  const copy = sourceChunks.filter((c) => {
    if (!pngCrcOk(source, c)) {
      return false;
    }
    if (PNG_COLOR.has(c.type)) {
      return true;
    }
    if (mode !== 'all' || resultTypes.has(c.type) || !isAncillary(c.type) || PNG_LAYOUT.has(c.type)) {
      return false;
    }
    // Unknown chunks that are not safe to copy (4th letter upper case) may describe the old pixels.
    return PNG_KNOWN.has(c.type) || isLower(c.type.charCodeAt(3));
  });
  if (copy.length === 0) {
    return undefined;
  }
  return writePngWithChunks(
    result,
    copy.map((c) => source.slice(c.start, c.end)),
  );
}

function isAncillary(type: string): boolean {
  return isLower(type.charCodeAt(0));
}

function isLower(code: number): boolean {
  return code >= 0x61 && code <= 0x7a;
}

// ---------------------------------------------------------------------------------------------
// JPEG

interface JpegSegment {
  marker: number;
  /** Offset of the 0xFF of the marker. */
  start: number;
  /** Offset just past the segment. */
  end: number;
}

/** The marker segments between SOI and the first SOS, and where the SOS begins. */
function jpegSegments(b: Uint8Array): { segments: JpegSegment[]; scan: number } {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) {
    throw new Error('not a JPEG');
  }
  const segments: JpegSegment[] = [];
  let i = 2;
  for (;;) {
    while (i + 1 < b.length && b[i] === 0xff && b[i + 1] === 0xff) {
      i++; // fill bytes
    }
    if (i + 4 > b.length || b[i] !== 0xff) {
      throw new Error('malformed JPEG');
    }
    const marker = b[i + 1];
    if (marker === 0xda) {
      return { segments, scan: i };
    }
    if (marker === 0x00 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      throw new Error('unexpected JPEG marker');
    }
    const length = u16be(b, i + 2);
    const end = i + 2 + length;
    if (length < 2 || end > b.length) {
      throw new Error('truncated JPEG segment');
    }
    segments.push({ marker, start: i, end });
    i = end;
  }
}

/** The identifier at the start of an APPn payload (up to its NUL), e.g. `Exif`, `ICC_PROFILE`. */
function appIdentifier(b: Uint8Array, s: JpegSegment): string {
  const from = s.start + 4;
  const limit = Math.min(s.end, from + 64);
  for (let i = from; i < limit; i++) {
    if (b[i] === 0) {
      return ascii(b, from, i - from);
    }
  }
  return '';
}

function isExif(b: Uint8Array, s: JpegSegment): boolean {
  return s.marker === 0xe1 && s.end - s.start >= 10 && ascii(b, s.start + 4, 6) === 'Exif\0\0';
}

function isIcc(b: Uint8Array, s: JpegSegment): boolean {
  return s.marker === 0xe2 && s.end - s.start >= 18 && ascii(b, s.start + 4, 12) === 'ICC_PROFILE\0';
}

/** The raw APP2 `ICC_PROFILE` segments (marker included), ordered by sequence number. */
export function readJpegIcc(bytes: Uint8Array): Uint8Array[] {
  return jpegSegments(bytes)
    .segments.filter((s) => isIcc(bytes, s))
    .map((s) => bytes.slice(s.start, s.end))
    .map((seg, order) => ({ seg, order }))
    .sort((a, b) => a.seg[16] - b.seg[16] || a.order - b.order)
    .map((x) => x.seg);
}

/** The raw APP1 `Exif` segment (marker included), if any. */
export function readJpegExif(bytes: Uint8Array): Uint8Array | undefined {
  const s = jpegSegments(bytes).segments.find((seg) => isExif(bytes, seg));
  return s && bytes.slice(s.start, s.end);
}

/**
 * Inserts whole marker segments right after SOI (and after the JFIF APP0 segments, if any).
 * The result's own EXIF and ICC segments are removed first, as are its segments of the same kind
 * (marker and identifier) as an inserted one.
 */
export function writeJpegWithSegments(bytes: Uint8Array, segments: Uint8Array[]): Uint8Array {
  const { segments: existing, scan } = jpegSegments(bytes);
  const kinds = new Set<string>();
  for (const seg of segments) {
    const marker = seg[1];
    if (seg.length < 4 || seg[0] !== 0xff || u16be(seg, 2) + 2 !== seg.length || !((marker >= 0xe0 && marker <= 0xef) || marker === 0xfe)) {
      throw new Error('malformed JPEG segment');
    }
    kinds.add(kindOf(seg, { marker, start: 0, end: seg.length }));
  }
  let at = 0;
  while (at < existing.length && existing[at].marker === 0xe0) {
    at++;
  }
  const keep = (s: JpegSegment) => !isExif(bytes, s) && !isIcc(bytes, s) && !kinds.has(kindOf(bytes, s));
  const parts: Uint8Array[] = [bytes.subarray(0, 2)];
  existing.slice(0, at).forEach((s) => parts.push(bytes.subarray(s.start, s.end)));
  parts.push(...segments);
  existing
    .slice(at)
    .filter(keep)
    .forEach((s) => parts.push(bytes.subarray(s.start, s.end)));
  parts.push(bytes.subarray(scan));
  return concat(parts);
}

function kindOf(b: Uint8Array, s: JpegSegment): string {
  return `${s.marker}:${s.marker === 0xfe ? '' : appIdentifier(b, s)}`;
}

function keepJpeg(source: Uint8Array, result: Uint8Array, mode: MetadataMode): Uint8Array | undefined {
  const segments: Uint8Array[] = [];
  if (mode === 'color') {
    const exif = readJpegExif(source);
    const minimal = exif && minimalExif(exif);
    if (minimal) {
      segments.push(minimal);
    }
    segments.push(...readJpegIcc(source));
  } else {
    const resultKinds = new Set(jpegSegments(result).segments.map((s) => kindOf(result, s)));
    for (const s of jpegSegments(source).segments) {
      if (s.marker < 0xe1 || s.marker > 0xef) {
        continue;
      }
      const id = appIdentifier(source, s);
      // Adobe APP14 says how to transform the colour channels, MPF APP2 points at byte offsets of
      // other images in the file: both describe the old encoding, not the picture.
      if ((s.marker === 0xee && ascii(source, s.start + 4, 5) === 'Adobe') || (s.marker === 0xe2 && id === 'MPF')) {
        continue;
      }
      if (isExif(source, s) || isIcc(source, s) || !resultKinds.has(kindOf(source, s))) {
        segments.push(source.slice(s.start, s.end));
      }
    }
  }
  return segments.length > 0 ? writeJpegWithSegments(result, segments) : undefined;
}

// EXIF (TIFF structure inside the APP1 segment)

const EXIF_ORIENTATION = 0x0112;
const EXIF_X_RESOLUTION = 0x011a;
const EXIF_Y_RESOLUTION = 0x011b;
const EXIF_RESOLUTION_UNIT = 0x0128;
const TIFF_SHORT = 3;
const TIFF_RATIONAL = 5;
const TIFF_TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 };

interface IfdEntry {
  tag: number;
  type: number;
  count: number;
  /** Offset, within the TIFF data, of the entry's 12 bytes. */
  at: number;
}

interface Ifd0 {
  tiff: Uint8Array;
  little: boolean;
  entries: IfdEntry[];
}

/** TIFF data of an APP1 Exif segment, or of a JPEG that holds one. */
function exifTiff(bytes: Uint8Array): Uint8Array | undefined {
  let seg: Uint8Array | undefined = bytes;
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    seg = readJpegExif(bytes);
  }
  if (!seg || seg.length < 18 || seg[0] !== 0xff || seg[1] !== 0xe1 || ascii(seg, 4, 6) !== 'Exif\0\0') {
    return undefined;
  }
  const end = Math.min(seg.length, 2 + u16be(seg, 2));
  return seg.subarray(10, end);
}

function readIfd0(tiff: Uint8Array): Ifd0 | undefined {
  if (tiff.length < 8) {
    return undefined;
  }
  const order = ascii(tiff, 0, 2);
  if (order !== 'II' && order !== 'MM') {
    return undefined;
  }
  const little = order === 'II';
  if (u16(tiff, 2, little) !== 42) {
    return undefined;
  }
  const ifd = u32(tiff, 4, little);
  if (ifd < 8 || ifd + 2 > tiff.length) {
    return undefined;
  }
  const count = u16(tiff, ifd, little);
  if (ifd + 2 + count * 12 > tiff.length) {
    return undefined;
  }
  const entries: IfdEntry[] = [];
  for (let k = 0; k < count; k++) {
    const at = ifd + 2 + k * 12;
    entries.push({ tag: u16(tiff, at, little), type: u16(tiff, at + 2, little), count: u32(tiff, at + 4, little), at });
  }
  return { tiff, little, entries };
}

/** The tags of IFD0 in an Exif segment or a JPEG's Exif, in order; undefined when there is none. */
export function readExifTags(bytes: Uint8Array): number[] | undefined {
  try {
    const tiff = exifTiff(bytes);
    return tiff && readIfd0(tiff)?.entries.map((e) => e.tag);
  } catch {
    return undefined;
  }
}

/** The EXIF orientation (1-8) of a JPEG, or of an APP1 Exif segment. */
export function readExifOrientation(bytes: Uint8Array): number | undefined {
  try {
    const tiff = exifTiff(bytes);
    const ifd = tiff && readIfd0(tiff);
    const e = ifd?.entries.find((x) => x.tag === EXIF_ORIENTATION);
    if (!ifd || !e || e.type !== TIFF_SHORT || e.count !== 1) {
      return undefined;
    }
    return u16(ifd.tiff, e.at + 8, ifd.little);
  } catch {
    return undefined;
  }
}

/**
 * A new, small APP1 Exif segment (same byte order) holding only IFD0's Orientation,
 * XResolution, YResolution and ResolutionUnit from `exifSegment`: GPS, maker notes, thumbnails
 * and the rest are dropped. Undefined when the segment is malformed or has none of these tags.
 */
export function minimalExif(exifSegment: Uint8Array): Uint8Array | undefined {
  try {
    const tiff = exifTiff(exifSegment);
    const ifd = tiff && readIfd0(tiff);
    if (!ifd) {
      return undefined;
    }
    const wanted: Record<number, number> = {
      [EXIF_ORIENTATION]: TIFF_SHORT,
      [EXIF_X_RESOLUTION]: TIFF_RATIONAL,
      [EXIF_Y_RESOLUTION]: TIFF_RATIONAL,
      [EXIF_RESOLUTION_UNIT]: TIFF_SHORT,
    };
    const kept: { e: IfdEntry; value: Uint8Array }[] = [];
    const seen = new Set<number>();
    for (const e of ifd.entries) {
      if (wanted[e.tag] !== e.type || e.count !== 1 || seen.has(e.tag)) {
        continue;
      }
      const size = TIFF_TYPE_SIZE[e.type] * e.count;
      let value: Uint8Array;
      if (size <= 4) {
        value = ifd.tiff.subarray(e.at + 8, e.at + 12);
      } else {
        const offset = u32(ifd.tiff, e.at + 8, ifd.little);
        if (offset + size > ifd.tiff.length) {
          continue;
        }
        value = ifd.tiff.subarray(offset, offset + size);
      }
      seen.add(e.tag);
      kept.push({ e, value });
    }
    if (kept.length === 0) {
      return undefined;
    }
    kept.sort((a, b) => a.e.tag - b.e.tag);
    const little = ifd.little;
    const ifdSize = 2 + kept.length * 12 + 4;
    let dataSize = 0;
    kept.forEach((k) => (dataSize += k.value.length > 4 ? k.value.length : 0));
    const tiffOut = new Uint8Array(8 + ifdSize + dataSize);
    tiffOut.set(ifd.tiff.subarray(0, 2)); // II or MM
    writeU16(tiffOut, 2, 42, little);
    writeU32(tiffOut, 4, 8, little);
    writeU16(tiffOut, 8, kept.length, little);
    let data = 8 + ifdSize;
    kept.forEach((k, n) => {
      const at = 10 + n * 12;
      writeU16(tiffOut, at, k.e.tag, little);
      writeU16(tiffOut, at + 2, k.e.type, little);
      writeU32(tiffOut, at + 4, k.e.count, little);
      if (k.value.length <= 4) {
        tiffOut.set(k.value, at + 8); // same byte order, so the raw bytes stay valid
      } else {
        writeU32(tiffOut, at + 8, data, little);
        tiffOut.set(k.value, data);
        data += k.value.length;
      }
    });
    // next-IFD offset after the entries is left 0: no IFD1, so no thumbnail
    const segment = new Uint8Array(10 + tiffOut.length);
    segment[0] = 0xff;
    segment[1] = 0xe1;
    writeU16(segment, 2, 8 + tiffOut.length, false);
    segment.set([0x45, 0x78, 0x69, 0x66, 0, 0], 4); // "Exif\0\0"
    segment.set(tiffOut, 10);
    return segment;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// WebP (RIFF)

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

function webpChunks(b: Uint8Array): RiffChunk[] {
  if (b.length < 20 || ascii(b, 0, 4) !== 'RIFF' || ascii(b, 8, 4) !== 'WEBP') {
    throw new Error('not a WebP');
  }
  const limit = 8 + u32le(b, 4);
  if (limit > b.length || limit < 12) {
    throw new Error('truncated WebP');
  }
  const chunks: RiffChunk[] = [];
  let i = 12;
  while (i < limit) {
    if (i + 8 > limit) {
      throw new Error('truncated WebP chunk');
    }
    const size = u32le(b, i + 4);
    const end = i + 8 + size + (size & 1);
    if (end > limit) {
      throw new Error('truncated WebP chunk');
    }
    chunks.push({ fourcc: ascii(b, i, 4), start: i, data: i + 8, size, end });
    i = end;
  }
  if (chunks.length === 0) {
    throw new Error('empty WebP');
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
      throw new Error('short VP8X chunk');
    }
    flags = bytes[first.data];
    canvas = { width: u24le(bytes, first.data + 4) + 1, height: u24le(bytes, first.data + 7) + 1 };
  } else if (first.fourcc === 'VP8 ' || first.fourcc === 'VP8L') {
    flags = 0;
    canvas = bitstreamSize(bytes, first);
  } else {
    throw new Error('unknown WebP layout');
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
      throw new Error('bad VP8 bitstream');
    }
    return { width: u16le(b, c.data + 6) & 0x3fff, height: u16le(b, c.data + 8) & 0x3fff };
  }
  if (c.size < 5 || b[c.data] !== 0x2f) {
    throw new Error('bad VP8L bitstream');
  }
  const bits = u32le(b, c.data + 1);
  return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
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

function keepWebp(source: Uint8Array, result: Uint8Array, mode: MetadataMode): Uint8Array | undefined {
  const meta: WebpMeta = {};
  const icc = webpPayload(source, 'ICCP');
  if (icc) {
    meta.ICCP = icc;
  }
  if (mode === 'all') {
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

// ---------------------------------------------------------------------------------------------
// bytes

function ascii(b: Uint8Array, start: number, length: number): string {
  let s = '';
  for (let i = start; i < start + length && i < b.length; i++) {
    s += String.fromCharCode(b[i]);
  }
  return s;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  parts.forEach((p) => (length += p.length));
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function need(b: Uint8Array, at: number, n: number): void {
  if (at < 0 || at + n > b.length) {
    throw new RangeError('read past the end');
  }
}

function u16be(b: Uint8Array, at: number): number {
  need(b, at, 2);
  return (b[at] << 8) | b[at + 1];
}

function u32be(b: Uint8Array, at: number): number {
  need(b, at, 4);
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

function u16le(b: Uint8Array, at: number): number {
  need(b, at, 2);
  return b[at] | (b[at + 1] << 8);
}

function u24le(b: Uint8Array, at: number): number {
  need(b, at, 3);
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
}

function u32le(b: Uint8Array, at: number): number {
  need(b, at, 4);
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

function u16(b: Uint8Array, at: number, little: boolean): number {
  return little ? u16le(b, at) : u16be(b, at);
}

function u32(b: Uint8Array, at: number, little: boolean): number {
  return little ? u32le(b, at) : u32be(b, at);
}

function writeU16(b: Uint8Array, at: number, v: number, little: boolean): void {
  if (little) {
    b[at] = v & 0xff;
    b[at + 1] = (v >>> 8) & 0xff;
  } else {
    b[at] = (v >>> 8) & 0xff;
    b[at + 1] = v & 0xff;
  }
}

function writeU32(b: Uint8Array, at: number, v: number, little: boolean): void {
  if (little) {
    writeU32le(b, at, v);
  } else {
    writeU32be(b, at, v);
  }
}

function writeU32be(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 24) & 0xff;
  b[at + 1] = (v >>> 16) & 0xff;
  b[at + 2] = (v >>> 8) & 0xff;
  b[at + 3] = v & 0xff;
}

function writeU32le(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}

function writeU24le(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
}
