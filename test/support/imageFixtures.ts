import { crc32 as zlibCrc32, deflateSync } from 'node:zlib';
import * as assert from 'node:assert/strict';
import type { Pixels } from '../../src/core/images/codecs';
import { readSize } from '../../src/core/images/format';

/**
 * Images with metadata made by hand, independently of the code under test, for the unit and the
 * integration suites.
 */

// ---------------------------------------------------------------------------------------------
// Hand-made metadata, built here independently of the code under test.

/** A plausible ICC profile header followed by a recognisable pattern; codecs do not validate it. */
export function fakeIcc(size = 400): Uint8Array {
  const b = Buffer.alloc(size);
  b.writeUInt32BE(size, 0);
  b.write('none', 4, 'latin1');
  b.writeUInt32BE(0x02100000, 8);
  b.write('mntrRGB XYZ ', 12, 'latin1');
  b.write('acsp', 36, 'latin1');
  for (let i = 132; i < size; i++) {
    b[i] = (i * 31 + 7) & 0xff;
  }
  return new Uint8Array(b);
}

export function rawPngChunk(type: string, data: Uint8Array): Uint8Array {
  const b = Buffer.alloc(12 + data.length);
  b.writeUInt32BE(data.length, 0);
  b.write(type, 4, 'latin1');
  Buffer.from(data).copy(b, 8);
  b.writeUInt32BE(zlibCrc32(b.subarray(4, 8 + data.length)), 8 + data.length);
  return new Uint8Array(b);
}

/** Puts chunks right after IHDR (which always ends at byte 33). */
export function pngWith(png: Uint8Array, ...chunks: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat([png.subarray(0, 33), ...chunks, png.subarray(33)]));
}

export function iccpChunk(icc: Uint8Array): Uint8Array {
  return rawPngChunk('iCCP', new Uint8Array(Buffer.concat([Buffer.from('Test profile\0\0', 'latin1'), deflateSync(icc)])));
}

export function jpegSegment(marker: number, payload: Uint8Array): Uint8Array {
  const b = Buffer.alloc(4 + payload.length);
  b[0] = 0xff;
  b[1] = marker;
  b.writeUInt16BE(2 + payload.length, 2);
  Buffer.from(payload).copy(b, 4);
  return new Uint8Array(b);
}

export function iccSegments(icc: Uint8Array, parts: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const step = Math.ceil(icc.length / parts);
  for (let n = 0; n < parts; n++) {
    const head = Buffer.from('ICC_PROFILE\0\0\0', 'latin1');
    head[12] = n + 1;
    head[13] = parts;
    out.push(jpegSegment(0xe2, new Uint8Array(Buffer.concat([head, icc.subarray(n * step, (n + 1) * step)]))));
  }
  return out;
}

/** Puts segments right after SOI and a JFIF APP0 if there is one. */
export function jpegWith(jpeg: Uint8Array, ...segments: Uint8Array[]): Uint8Array {
  let at = 2;
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0) {
    at = 4 + ((jpeg[4] << 8) | jpeg[5]);
  }
  return new Uint8Array(Buffer.concat([jpeg.subarray(0, at), ...segments, jpeg.subarray(at)]));
}

export const GPS_LATITUDE = [48, 1, 51, 1, 242424, 10000];

/**
 * An APP1 Exif segment: IFD0 with Make, Orientation, X/YResolution, ResolutionUnit and a GPS IFD
 * pointer; the GPS IFD holds a latitude; IFD1 describes a thumbnail.
 */
export function exifSegment(orientation: number, little: boolean): Uint8Array {
  const t = Buffer.alloc(300);
  const u16 = (at: number, v: number) => (little ? t.writeUInt16LE(v, at) : t.writeUInt16BE(v, at));
  const u32 = (at: number, v: number) => (little ? t.writeUInt32LE(v, at) : t.writeUInt32BE(v, at));
  t.write(little ? 'II' : 'MM', 0, 'latin1');
  u16(2, 42);
  u32(4, 8);
  // IFD0 at 8: 6 entries -> 2 + 72 + 4 = 78 bytes, data from 86
  const entries: [number, number, number, number][] = [
    [0x010f, 2, 8, 86], // Make "TestCam\0"
    [0x0112, 3, 1, -1], // Orientation, inline
    [0x011a, 5, 1, 94], // XResolution 300/1
    [0x011b, 5, 1, 102], // YResolution 300/1
    [0x0128, 3, 1, -2], // ResolutionUnit inch, inline
    [0x8825, 4, 1, 110], // GPS IFD
  ];
  u16(8, entries.length);
  entries.forEach(([tag, type, count, value], k) => {
    const at = 10 + k * 12;
    u16(at, tag);
    u16(at + 2, type);
    u32(at + 4, count);
    if (value === -1) {
      u16(at + 8, orientation);
    } else if (value === -2) {
      u16(at + 8, 2);
    } else {
      u32(at + 8, value);
    }
  });
  u32(10 + entries.length * 12, 200); // next IFD (IFD1)
  t.write('TestCam\0', 86, 'latin1');
  u32(94, 300);
  u32(98, 1);
  u32(102, 300);
  u32(106, 1);
  // GPS IFD at 110: 2 entries -> 2 + 24 + 4 = 30 bytes, data from 140
  u16(110, 2);
  u16(112, 0x0001); // GPSLatitudeRef "N"
  u16(114, 2);
  u32(116, 2);
  t.write('N\0', 120, 'latin1');
  u16(124, 0x0002); // GPSLatitude, 3 rationals
  u16(126, 5);
  u32(128, 3);
  u32(132, 140);
  u32(136, 0);
  GPS_LATITUDE.forEach((v, n) => u32(140 + n * 4, v));
  // IFD1 at 200: Compression = 6 (JPEG thumbnail)
  u16(200, 1);
  u16(202, 0x0103);
  u16(204, 3);
  u32(206, 1);
  u16(210, 6);
  u32(214, 0);
  return jpegSegment(0xe1, new Uint8Array(Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), t])));
}

export function riffChunk(fourcc: string, payload: Uint8Array): Buffer {
  const b = Buffer.alloc(8 + payload.length + (payload.length & 1));
  b.write(fourcc, 0, 'latin1');
  b.writeUInt32LE(payload.length, 4);
  Buffer.from(payload).copy(b, 8);
  return b;
}

/** An extended WebP holding `icc`, around the chunks of a simple (VP8 or VP8L) WebP. */
export function webpWithIcc(simple: Uint8Array, icc: Uint8Array): Uint8Array {
  return webpWith(simple, { ICCP: icc });
}

/** An extended WebP with an ICCP chunk first and an EXIF chunk last, as the container asks. */
export function webpWith(simple: Uint8Array, meta: { ICCP?: Uint8Array; EXIF?: Uint8Array }): Uint8Array {
  const size = readSize(simple)!;
  const vp8x = Buffer.alloc(10);
  vp8x[0] = (meta.ICCP ? 0x20 : 0) | (meta.EXIF ? 0x08 : 0);
  vp8x.writeUIntLE(size.width - 1, 4, 3);
  vp8x.writeUIntLE(size.height - 1, 7, 3);
  const parts = [riffChunk('VP8X', vp8x), ...(meta.ICCP ? [riffChunk('ICCP', meta.ICCP)] : []), Buffer.from(simple.subarray(12)), ...(meta.EXIF ? [riffChunk('EXIF', meta.EXIF)] : [])];
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(4 + body.length, 4);
  head.write('WEBP', 8, 'latin1');
  return new Uint8Array(Buffer.concat([head, body]));
}

export function webpChunkNames(b: Uint8Array): string[] {
  const names: string[] = [];
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 12; i + 8 <= b.length; ) {
    const size = buf.readUInt32LE(i + 4);
    names.push(buf.toString('latin1', i, i + 4));
    i += 8 + size + (size & 1);
  }
  return names;
}

export function includesBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack).indexOf(Buffer.from(needle)) >= 0;
}

export function alphaOf(p: Pixels): Uint8Array {
  const a = new Uint8Array(p.width * p.height);
  for (let i = 0; i < a.length; i++) {
    a[i] = p.data[i * 4 + 3];
  }
  return a;
}

/** Alpha of `p` at `width`×`height` by bilinear interpolation (pixel centres aligned, edges clamped). */
export function bilinearAlpha(p: Pixels, width: number, height: number): Float64Array {
  const out = new Float64Array(width * height);
  const at = (x: number, y: number) => p.data[(y * p.width + x) * 4 + 3];
  for (let y = 0; y < height; y++) {
    const sy = Math.min(Math.max(((y + 0.5) * p.height) / height - 0.5, 0), p.height - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, p.height - 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(Math.max(((x + 0.5) * p.width) / width - 0.5, 0), p.width - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, p.width - 1);
      const fx = sx - x0;
      out[y * width + x] = (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) + (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy;
    }
  }
  return out;
}

export function difference(a: ArrayLike<number>, b: ArrayLike<number>): { mean: number; max: number } {
  assert.equal(a.length, b.length);
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    sum += d;
    max = Math.max(max, d);
  }
  return { mean: sum / a.length, max };
}

/** What the service does to transparency: lays the image on black and makes it opaque. */
export function flattenOnBlack(p: Pixels): Pixels {
  const data = new Uint8ClampedArray(p.data.length);
  for (let i = 0; i < data.length; i += 4) {
    const a = p.data[i + 3] / 255;
    data[i] = p.data[i] * a;
    data[i + 1] = p.data[i + 1] * a;
    data[i + 2] = p.data[i + 2] * a;
    data[i + 3] = 255;
  }
  return { width: p.width, height: p.height, data };
}

export function meanAlpha(p: Pixels): number {
  let sum = 0;
  for (let i = 3; i < p.data.length; i += 4) {
    sum += p.data[i];
  }
  return sum / (p.width * p.height);
}


/**
 * A transparent picture of anti-aliased shapes (a disc, a ring and a bar in three colours), as a
 * logo would be: its coverage is worked out at 4×4 points a pixel.
 */
export function transparentShapes(width: number, height: number): Pixels {
  const data = new Uint8ClampedArray(width * height * 4);
  const shapes: [(x: number, y: number) => boolean, [number, number, number]][] = [
    [(x, y) => (x - 0.3 * width) ** 2 + (y - 0.45 * height) ** 2 < (0.22 * height) ** 2, [220, 60, 40]],
    [(x, y) => Math.abs(Math.hypot(x - 0.68 * width, y - 0.4 * height) - 0.2 * height) < 0.06 * height, [40, 90, 220]],
    [(x, y) => x > 0.2 * width && x < 0.85 * width && y > 0.74 * height && y < 0.84 * height, [250, 200, 40]],
  ];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let hits = 0;
      const rgb = [0, 0, 0];
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const shape = shapes.find(([inside]) => inside(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4));
          if (!shape) continue;
          hits++;
          for (let c = 0; c < 3; c++) rgb[c] += shape[1][c];
        }
      }
      const at = (y * width + x) * 4;
      if (hits) for (let c = 0; c < 3; c++) data[at + c] = rgb[c] / hits;
      data[at + 3] = Math.round((hits * 255) / 16);
    }
  }
  return { width, height, data };
}

/**
 * The `width`×`height` part of `p` whose corner is at (`left`, `top`): a crop when it lies inside,
 * padding with `fill` (RGBA) where it goes beyond.
 */
export function windowOf(p: Pixels, left: number, top: number, width: number, height: number, fill: [number, number, number, number] = [0, 0, 0, 255]): Pixels {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = x + left;
      const sy = y + top;
      const inside = sx >= 0 && sy >= 0 && sx < p.width && sy < p.height;
      data.set(inside ? p.data.subarray((sy * p.width + sx) * 4, (sy * p.width + sx) * 4 + 4) : fill, (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/**
 * Where the shapes' edges are in `a` and in `b` (the same size): on every row and column, the
 * places the alpha crosses half, to a tenth of a pixel. Returns the largest and the mean distance
 * between matching crossings, in pixels, and how many lines crossed a different number of times.
 */
export function edgeDistance(a: Pixels, b: Pixels): { max: number; mean: number; lines: number; mismatched: number } {
  assert.deepEqual([a.width, a.height], [b.width, b.height]);
  const crossings = (p: Pixels, line: number, vertical: boolean) => {
    const length = vertical ? p.height : p.width;
    const alpha = (i: number) => p.data[((vertical ? i * p.width + line : line * p.width + i) * 4) + 3];
    const out: number[] = [];
    for (let i = 1; i < length; i++) {
      const [s, e] = [alpha(i - 1), alpha(i)];
      if ((s < 128) !== (e < 128)) out.push(i - 1 + (128 - s) / (e - s));
    }
    return out;
  };
  let max = 0;
  let sum = 0;
  let n = 0;
  let mismatched = 0;
  let lines = 0;
  for (const vertical of [false, true]) {
    for (let line = 0; line < (vertical ? a.width : a.height); line++) {
      const [ca, cb] = [crossings(a, line, vertical), crossings(b, line, vertical)];
      if (ca.length === 0 && cb.length === 0) continue;
      lines++;
      if (ca.length !== cb.length) {
        mismatched++;
        continue;
      }
      for (let i = 0; i < ca.length; i++) {
        const d = Math.abs(ca[i] - cb[i]);
        max = Math.max(max, d);
        sum += d;
        n++;
      }
    }
  }
  return { max, mean: n ? sum / n : 0, lines, mismatched };
}

/** Every other pixel of every other row: a smaller picture, as a thumbnail in place of an upscale. */
export function halfSize(p: Pixels): Pixels {
  const width = Math.max(1, Math.floor(p.width / 2));
  const height = Math.max(1, Math.floor(p.height / 2));
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(p.data.subarray(((y * 2) * p.width + x * 2) * 4, ((y * 2) * p.width + x * 2) * 4 + 4), (y * width + x) * 4);
  }
  return { width, height, data };
}
