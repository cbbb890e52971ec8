/**
 * Reading and writing the integers and framing that image containers are built of. The readers
 * throw a RangeError rather than return garbage when asked to read past the end.
 */
import { t } from '../i18n';

export function ascii(b: Uint8Array, start: number, length: number): string {
  let s = '';
  for (let i = start; i < start + length && i < b.length; i++) {
    s += String.fromCharCode(b[i]);
  }
  return s;
}

export function concat(parts: Uint8Array[]): Uint8Array {
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

export function u16be(b: Uint8Array, at: number): number {
  need(b, at, 2);
  return (b[at] << 8) | b[at + 1];
}

export function u32be(b: Uint8Array, at: number): number {
  need(b, at, 4);
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

export function u16le(b: Uint8Array, at: number): number {
  need(b, at, 2);
  return b[at] | (b[at + 1] << 8);
}

export function u24le(b: Uint8Array, at: number): number {
  need(b, at, 3);
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
}

export function u32le(b: Uint8Array, at: number): number {
  need(b, at, 4);
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

export function u16(b: Uint8Array, at: number, little: boolean): number {
  return little ? u16le(b, at) : u16be(b, at);
}

export function u32(b: Uint8Array, at: number, little: boolean): number {
  return little ? u32le(b, at) : u32be(b, at);
}

export function writeU16(b: Uint8Array, at: number, v: number, little: boolean): void {
  if (little) {
    b[at] = v & 0xff;
    b[at + 1] = (v >>> 8) & 0xff;
  } else {
    b[at] = (v >>> 8) & 0xff;
    b[at + 1] = v & 0xff;
  }
}

export function writeU32(b: Uint8Array, at: number, v: number, little: boolean): void {
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

export function writeU32le(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}

export function writeU24le(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
}

/**
 * A file that claims a format and does not hold to it: the service sent something damaged, or a
 * file on disk was cut short. The message is translated and says which format and how.
 */
export class DamagedImage extends Error {
  override name = 'DamagedImage';
}

export const notA = (format: string) => new DamagedImage(t('it is not a {0} file', format));
export const cutShort = (format: string) => new DamagedImage(t('the {0} data is cut short', format));
export const malformed = (format: string) => new DamagedImage(t('the {0} data is malformed', format));

// ---------------------------------------------------------------------------------------------
// JPEG marker segments. They live here, below jpeg.ts, because exif.ts must find the Exif
// segment of a JPEG while jpeg.ts builds on exif.ts (minimalExif).

export interface JpegSegment {
  marker: number;
  /** Offset of the 0xFF of the marker. */
  start: number;
  /** Offset just past the segment. */
  end: number;
}

/** The marker segments between SOI and the first SOS, and where the SOS begins. */
export function jpegSegments(b: Uint8Array): { segments: JpegSegment[]; scan: number } {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) {
    throw notA('JPEG');
  }
  const segments: JpegSegment[] = [];
  let i = 2;
  for (;;) {
    while (i + 1 < b.length && b[i] === 0xff && b[i + 1] === 0xff) {
      i++; // fill bytes
    }
    if (i + 4 > b.length || b[i] !== 0xff) {
      throw malformed('JPEG');
    }
    const marker = b[i + 1];
    if (marker === 0xda) {
      return { segments, scan: i };
    }
    if (marker === 0x00 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      throw malformed('JPEG');
    }
    const length = u16be(b, i + 2);
    const end = i + 2 + length;
    if (length < 2 || end > b.length) {
      throw cutShort('JPEG');
    }
    segments.push({ marker, start: i, end });
    i = end;
  }
}
