import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { alphaIsFlat, hasMeaningfulAlpha } from '../../src/core/images/alpha';
import { loadCodecs, Pixels } from '../../src/core/images/codecs';
import { pngChunk } from '../../src/core/images/png';
import { readPngAlpha, unfilter } from '../../src/core/images/pngAlpha';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspace', 'assets');

/** These 8-bit samples as PNG rows, each under the filter `filters` gives it in turn (the encoder side of the five filters). */
function filtered(width: number, height: number, channels: 2 | 4, samples: Uint8Array, filters: number[]): Uint8Array {
  const stride = width * channels;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const filter = filters[y % filters.length];
    raw[y * (stride + 1)] = filter;
    for (let x = 0; x < stride; x++) {
      const at = (dx: number, dy: number) => (x - dx >= 0 && y - dy >= 0 ? samples[(y - dy) * stride + x - dx] : 0);
      const [a, b, c] = [at(channels, 0), at(0, 1), at(channels, 1)];
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predicted = [0, a, b, (a + b) >> 1, paeth][filter] ?? 0;
      raw[y * (stride + 1) + 1 + x] = (samples[y * stride + x] - predicted) & 0xff;
    }
  }
  return raw;
}

/** A PNG of these samples (see `filtered`), its IHDR's bytes changed as `ihdrPatch` says. */
function png(width: number, height: number, channels: 2 | 4, samples: Uint8Array, filters: number[], ihdrPatch: Partial<Record<number, number>> = {}): Uint8Array {
  const raw = filtered(width, height, channels, samples, filters);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, channels === 4 ? 6 : 4, 0, 0, 0], 8);
  for (const [i, v] of Object.entries(ihdrPatch)) ihdr[Number(i)] = v!;
  const compressed = deflateSync(raw);
  // Two IDAT chunks: the reader joins them, as a decoder does.
  const half = compressed.length >> 1;
  const signature = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, pngChunk('IHDR', ihdr), pngChunk('IDAT', compressed.subarray(0, half)), pngChunk('IDAT', compressed.subarray(half)), pngChunk('IEND', new Uint8Array(0))]);
}

/** Samples whose every channel varies from pixel to pixel, so that a filter undone wrong shows; alpha from `alpha(x, y)`. */
function samples(width: number, height: number, channels: 2 | 4, alpha: (x: number, y: number) => number): Uint8Array {
  const s = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      for (let c = 0; c < channels - 1; c++) s[i + c] = (x * 37 + y * 91 + c * 53 + ((x * y) % 7) * 29) & 0xff;
      s[i + channels - 1] = alpha(x, y);
    }
  }
  return s;
}

async function decoded(bytes: Uint8Array): Promise<{ belowOpaque: boolean; flat: boolean }> {
  const pixels: Pixels = await (await loadCodecs()).decode(bytes);
  return { belowOpaque: hasMeaningfulAlpha(pixels), flat: alphaIsFlat(pixels) };
}

describe('readPngAlpha: a small PNG\'s alpha, read without the codecs', () => {
  const alphas: [string, (x: number, y: number) => number][] = [
    ['opaque', () => 255],
    ['flat half-transparent', () => 128],
    ['one pixel below opaque in the last row', (x, y) => (x === 20 && y === 15 ? 254 : 255)],
    ['a gradient', (x, y) => (x * 9 + y * 5) & 0xff],
  ];
  it('undoes each of the five filters to the very samples, at one and at four bytes a pixel', () => {
    for (const channels of [4, 2] as const) {
      for (const filter of [0, 1, 2, 3, 4]) {
        // Few distinct values, so that Paeth's ties (where its order of preference shows) are many.
        let seed = 7;
        const s = samples(21, 16, channels, () => (seed = (seed * 1103515245 + 12345) >>> 0) % 3);
        s.forEach((_, i) => (s[i] = i % channels === 0 ? ((seed = (seed * 1103515245 + 12345) >>> 0) >> 16) % 4 : s[i]));
        const raw = filtered(21, 16, channels, s, [filter]);
        assert.equal(unfilter(raw, 21 * channels, 16, channels), true);
        const rows = Buffer.concat(Array.from({ length: 16 }, (_, y) => raw.subarray(y * (21 * channels + 1) + 1, (y + 1) * (21 * channels + 1))));
        assert.deepEqual(new Uint8Array(rows), s, `filter ${filter}, ${channels} channels`);
      }
    }
  });

  for (const channels of [4, 2] as const) {
    for (const filters of [[0], [1], [2], [3], [4], [0, 1, 2, 3, 4]]) {
      it(`${channels === 4 ? 'RGBA' : 'grey and alpha'} under filter${filters.length > 1 ? 's' : ''} ${filters.join(', ')}: says what the codecs' decode says`, async () => {
        for (const [name, alpha] of alphas) {
          const bytes = png(21, 16, channels, samples(21, 16, channels, alpha), filters);
          assert.deepEqual(await readPngAlpha(bytes), await decoded(bytes), name);
        }
      });
    }
  }

  it('the logo fixture, and a result the codecs encoded from it, read as the codecs decode them', async () => {
    const codecs = await loadCodecs();
    const logo = new Uint8Array(readFileSync(join(fixtures, 'logo.png')));
    const pixels = await codecs.decode(logo);
    const opaque = { ...pixels, data: pixels.data.map((v, i) => (i % 4 === 3 ? 255 : v)) };
    for (const bytes of [logo, await codecs.encode(pixels, 'png'), await codecs.encode(opaque, 'png')]) {
      const read = await readPngAlpha(bytes);
      // The encoder may store an opaque image without its alpha channel; the reader then leaves it to the header.
      if (read) assert.deepEqual(read, await decoded(bytes));
    }
    assert.deepEqual(await readPngAlpha(logo), { belowOpaque: true, flat: false });
  });

  it('leaves to the codecs what it does not read: 16 bits, interlaced, a palette, no alpha channel, too large, damaged', async () => {
    const s = samples(8, 8, 4, () => 255);
    assert.equal(await readPngAlpha(png(8, 8, 4, s, [0], { 8: 16 })), undefined);
    assert.equal(await readPngAlpha(png(8, 8, 4, s, [0], { 12: 1 })), undefined);
    assert.equal(await readPngAlpha(png(8, 8, 4, s, [0], { 9: 3 })), undefined);
    assert.equal(await readPngAlpha(png(8, 8, 4, s, [0], { 9: 2 })), undefined);
    assert.equal(await readPngAlpha(png(8, 8, 4, s, [0]), 8 * 8 * 4 - 1), undefined);
    assert.deepEqual(await readPngAlpha(png(8, 8, 4, s, [0]), 8 * 8 * 4), { belowOpaque: false, flat: true });
    const whole = png(8, 8, 4, s, [0]);
    assert.equal(await readPngAlpha(whole.subarray(0, whole.length - 30)), undefined, 'cut short');
    assert.equal(await readPngAlpha(png(8, 8, 4, s, [5])), undefined, 'an unknown filter');
    const corrupt = Uint8Array.from(whole);
    corrupt.fill(0xff, 41, 60);
    assert.equal(await readPngAlpha(corrupt), undefined, 'data that does not inflate');
  });
});
