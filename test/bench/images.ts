import { randomFillSync } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { loadCodecs } from '../../src/core/images/codecs';
import { MB } from './report';
import { benchOut } from './shared';

/** The emulator's (and Ideogram's) upload limit. */
export const uploadLimit = 25 * MB;

/**
 * A 2950x2950 RGB PNG of noise: it cannot be compressed, so it is 24.9 MB, just under the 25 MB
 * limit. Made once and kept in bench-output/.
 */
export async function noisePng(): Promise<string> {
  const path = join(benchOut, 'noise-25mb.png');
  if (existsSync(path) && statSync(path).size <= uploadLimit && statSync(path).size > 24 * MB) return path;
  const side = 2950;
  const row = 1 + side * 3;
  const raw = Buffer.alloc(row * side);
  randomFillSync(raw);
  for (let y = 0; y < side; y++) raw[y * row] = 0; // filter type None on every row
  const png = Buffer.concat([signature, chunk('IHDR', ihdr(side, side, 2)), chunk('IDAT', deflateSync(raw, { level: 1 })), chunk('IEND', Buffer.alloc(0))]);
  if (png.length > uploadLimit) throw new Error(`the noise PNG is ${png.length} bytes, over the 25 MB limit`);
  await mkdir(benchOut, { recursive: true });
  await writeFile(path, png);
  return path;
}

/** A 2048x2048 (4 megapixel) opaque PNG of smooth gradients and waves, as a photo or render is. */
export async function smoothPng(): Promise<string> {
  const path = join(benchOut, 'smooth-4mp.png');
  if (existsSync(path)) return path;
  const width = 2048;
  const height = 2048;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = (x / width) * 255;
      data[i + 1] = (y / height) * 255;
      data[i + 2] = 128 + 100 * Math.sin((x + y) / 97) * Math.cos((x - y) / 131);
      data[i + 3] = 255;
    }
  }
  const codecs = await loadCodecs();
  const png = await codecs.encode({ width, height, data }, 'png');
  await mkdir(benchOut, { recursive: true });
  await writeFile(path, png);
  return path;
}

const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function ihdr(width: number, height: number, colourType: number): Buffer {
  const b = Buffer.alloc(13);
  b.writeUInt32BE(width, 0);
  b.writeUInt32BE(height, 4);
  b[8] = 8; // bits per channel
  b[9] = colourType;
  return b;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
