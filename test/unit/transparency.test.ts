import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pngChunk } from '../../src/core/images/png';
import { loadCodecs } from '../../src/core/images/codecs';
import { checkResult } from '../../src/core/images/resultChecks';
import { keptAsItCame, mayHaveAlpha } from '../../src/core/images/transparency';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspace', 'assets');

/** A PNG of `colourType` as far as its chunks go (the pixels are not read). */
function png(colourType: number, extra: Uint8Array[] = []): Uint8Array {
  const ihdr = new Uint8Array([0, 0, 0, 4, 0, 0, 0, 3, 8, colourType, 0, 0, 0]);
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), ...extra, pngChunk('IDAT', new Uint8Array(2)), pngChunk('IEND', new Uint8Array(0))];
  return Buffer.concat(parts);
}

/** A WebP of these chunks, each with `data` (a VP8X's first byte holds its flags). */
function webp(chunks: [string, Uint8Array][]): Uint8Array {
  const body = Buffer.concat(chunks.map(([fourcc, data]) => {
    const head = Buffer.alloc(8);
    head.write(fourcc, 0, 'ascii');
    head.writeUInt32LE(data.length, 4);
    return Buffer.concat([head, data, Buffer.alloc(data.length & 1)]);
  }));
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'ascii');
  head.writeUInt32LE(4 + body.length, 4);
  head.write('WEBP', 8, 'ascii');
  return Buffer.concat([head, body]);
}

const vp8 = new Uint8Array(10);
const vp8x = (flags: number) => new Uint8Array([flags, 0, 0, 0, 3, 0, 0, 2, 0, 0]);

describe('mayHaveAlpha: what an original\'s header says of its transparency', () => {
  it('the fixtures: the logo (RGBA PNG) may have some; the photo (JPEG) and the banner (lossy WebP) have none', () => {
    assert.equal(mayHaveAlpha(readFileSync(join(fixtures, 'logo.png'))), true);
    assert.equal(mayHaveAlpha(readFileSync(join(fixtures, 'photo.jpg'))), false);
    assert.equal(mayHaveAlpha(readFileSync(join(fixtures, 'banner.webp'))), false);
  });

  it('a PNG: grey and colour with alpha may; grey, colour and a palette have none unless a tRNS chunk gives some', () => {
    assert.deepEqual([0, 2, 3, 4, 6].map((type) => mayHaveAlpha(png(type))), [false, false, false, true, true]);
    const trns = pngChunk('tRNS', new Uint8Array([0, 0]));
    assert.deepEqual([0, 2, 3].map((type) => mayHaveAlpha(png(type, [trns]))), [true, true, true]);
  });

  it('a WebP: lossy without an alpha chunk or flag has none; the alpha flag, an ALPH chunk or a lossless image may', () => {
    assert.equal(mayHaveAlpha(webp([['VP8 ', vp8]])), false);
    assert.equal(mayHaveAlpha(webp([['VP8X', vp8x(0x20)], ['ICCP', new Uint8Array(4)], ['VP8 ', vp8]])), false);
    assert.equal(mayHaveAlpha(webp([['VP8X', vp8x(0x10)], ['VP8 ', vp8]])), true);
    assert.equal(mayHaveAlpha(webp([['VP8X', vp8x(0)], ['ALPH', new Uint8Array(4)], ['VP8 ', vp8]])), true);
    assert.equal(mayHaveAlpha(webp([['VP8L', new Uint8Array([0x2f, 0, 0, 0, 0])]])), true);
  });

  it('a file cut short or not an image is decoded to see', () => {
    const cut = webp([['VP8 ', vp8]]).subarray(0, 24);
    assert.equal(mayHaveAlpha(cut), true);
    assert.equal(mayHaveAlpha(png(2).subarray(0, 20)), true);
    assert.equal(mayHaveAlpha(new Uint8Array([1, 2, 3])), true);
  });
});

describe('keptAsItCame: a result that needs nothing of its original\'s transparency, told without the codecs', () => {
  const logo = () => new Uint8Array(readFileSync(join(fixtures, 'logo.png')));

  it('agrees with checkResult wherever it answers: the result is then kept byte for byte', async () => {
    const codecs = await loadCodecs();
    const pixels = await codecs.decode(logo());
    const big = await codecs.resize(pixels, { width: pixels.width * 2, height: pixels.height * 2 });
    const opaque = { ...big, data: big.data.map((v, i) => (i % 4 === 3 ? 255 : v)) };
    const opaqueOriginal = await codecs.encode({ ...pixels, data: pixels.data.map((v, i) => (i % 4 === 3 ? 255 : v)) }, 'png');
    const cases: [string, Uint8Array, Uint8Array, boolean][] = [
      ['a transparent logo, a result with its own alpha', logo(), await codecs.encode(big, 'png'), true],
      ['a transparent logo, an opaque PNG result', logo(), await codecs.encode(opaque, 'png'), false],
      ['a transparent logo, a JPEG result', logo(), await codecs.encode(opaque, 'jpeg'), false],
      ['an RGBA original every pixel of which is opaque, a JPEG result', opaqueOriginal, await codecs.encode(opaque, 'jpeg'), true],
      ['a JPEG original', readFileSync(join(fixtures, 'photo.jpg')), await codecs.encode(opaque, 'jpeg'), true],
    ];
    for (const [name, original, result, kept] of cases) {
      assert.equal(await keptAsItCame(original, result), kept, name);
      const checked = await checkResult(original, result, { rebuildTransparency: true });
      if (kept) assert.ok(!checked.alphaRebuilt && Buffer.from(checked.bytes).equals(Buffer.from(result)), `${name}: checkResult kept it too`);
      else assert.ok(checked.alphaRebuilt, `${name}: checkResult gave the alpha back`);
    }
  });

  it('leaves to the decode what the headers do not settle: a palette PNG with tRNS, a lossless WebP', async () => {
    const codecs = await loadCodecs();
    const jpeg = await codecs.encode(await codecs.decode(logo()), 'jpeg');
    assert.equal(await keptAsItCame(png(3, [pngChunk('tRNS', new Uint8Array([0]))]), jpeg), false);
    assert.equal(await keptAsItCame(webp([['VP8L', new Uint8Array([0x2f, 0, 0, 0, 0])]]), jpeg), false);
  });
});
