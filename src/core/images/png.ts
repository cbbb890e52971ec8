import { ascii, concat, cutShort, malformed, notA, u32be, writeU32 } from './bytes';
import { minimalExifTiff } from './exif';

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

export function hasPngSignature(b: Uint8Array): boolean {
  return b.length >= 8 && PNG_SIGNATURE.every((v, i) => b[i] === v);
}

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

export function pngChunks(b: Uint8Array): PngChunk[] {
  if (!hasPngSignature(b)) {
    throw notA('PNG');
  }
  const chunks: PngChunk[] = [];
  let i = 8;
  while (i < b.length) {
    if (i + 12 > b.length) {
      throw cutShort('PNG');
    }
    const length = u32be(b, i);
    const end = i + 12 + length;
    if (length > 0x7fffffff || end > b.length) {
      throw cutShort('PNG');
    }
    const type = ascii(b, i + 4, 4);
    if (!/^[A-Za-z]{4}$/.test(type)) {
      throw malformed('PNG');
    }
    chunks.push({ type, start: i, end });
    i = end;
    if (type === 'IEND') {
      break;
    }
  }
  if (chunks[0]?.type !== 'IHDR') {
    throw malformed('PNG');
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
      throw malformed('PNG');
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

/** The payload of a PNG's eXIf chunk: EXIF's TIFF data. */
export function readPngExif(bytes: Uint8Array): Uint8Array | undefined {
  const c = pngChunks(bytes).find((x) => x.type === 'eXIf' && pngCrcOk(bytes, x));
  return c && bytes.slice(c.start + 8, c.end - 4);
}

/** A whole chunk: length, type, data and CRC. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  writeU32(out, 0, data.length, false);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  writeU32(out, 8 + data.length, crc32(out, 4, 8 + data.length), false);
  return out;
}

export function keepPng(source: Uint8Array, result: Uint8Array, all: boolean): Uint8Array | undefined {
  const sourceChunks = pngChunks(source);
  // A viewer that honours orientation shows the result turned as the original was; only the
  // tags that say how the picture is shown go over, as for a JPEG.
  const exif = all ? undefined : readPngExif(source);
  const minimal = exif && minimalExifTiff(exif);
  const resultTypes = new Set(pngChunks(result).map((c) => c.type));
  const copy = sourceChunks.filter((c) => {
    if (!pngCrcOk(source, c)) {
      return false;
    }
    if (PNG_COLOR.has(c.type)) {
      return true;
    }
    if (!all || resultTypes.has(c.type) || !isAncillary(c.type) || PNG_LAYOUT.has(c.type)) {
      return false;
    }
    // Unknown chunks that are not safe to copy (4th letter upper case) may describe the old pixels.
    return PNG_KNOWN.has(c.type) || isLower(c.type.charCodeAt(3));
  });
  const chunks: Uint8Array[] = copy.map((c) => source.slice(c.start, c.end));
  if (minimal) chunks.push(pngChunk('eXIf', minimal));
  return chunks.length > 0 ? writePngWithChunks(result, chunks) : undefined;
}

function isAncillary(type: string): boolean {
  return isLower(type.charCodeAt(0));
}

function isLower(code: number): boolean {
  return code >= 0x61 && code <= 0x7a;
}
