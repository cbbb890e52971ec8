import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { alphaIsFlat, hasMeaningfulAlpha, rebuildAlpha, resizePixels } from '../../src/core/images/alpha';
import { compareAspect, isEnlargement } from '../../src/core/images/aspect';
import { Codecs, loadCodecs, Pixels } from '../../src/core/images/codecs';
import { convertImage } from '../../src/core/images/convert';
import { minimalExif, readExifOrientation, readExifTags, readJpegExif } from '../../src/core/images/exif';
import { readSize, sniffFormat } from '../../src/core/images/format';
import { readJpegIcc, writeJpegWithSegments } from '../../src/core/images/jpeg';
import { keepMetadata } from '../../src/core/images/metadata';
import { crc32, pngChunkTypes, readPngColorChunks, writePngWithChunks } from '../../src/core/images/png';
import { readWebpIcc, writeWebpWithIcc } from '../../src/core/images/webp';

import { fakeIcc, rawPngChunk, pngWith, iccpChunk, jpegSegment, iccSegments, jpegWith, GPS_LATITUDE, exifSegment, webpWithIcc, webpChunkNames, includesBytes, alphaOf, bilinearAlpha, difference, flattenOnBlack, meanAlpha } from '../support/imageFixtures';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspace', 'assets');
const fixture = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));

// ---------------------------------------------------------------------------------------------

describe('images: transparency', function () {
  this.timeout(30000);
  let codecs: Codecs;
  let logo: Pixels;
  let photo: Pixels;

  before(async () => {
    codecs = await loadCodecs();
    logo = await codecs.decode(fixture('logo.png'));
    photo = await codecs.decode(fixture('photo.jpg'));
  });

  it('tells transparent images from opaque ones', () => {
    assert.equal(hasMeaningfulAlpha(logo), true);
    assert.equal(alphaIsFlat(logo), false);
    assert.equal(hasMeaningfulAlpha(photo), false);
    assert.equal(alphaIsFlat(photo), true);
    const half: Pixels = { width: 2, height: 1, data: new Uint8ClampedArray([1, 2, 3, 128, 4, 5, 6, 128]) };
    assert.equal(hasMeaningfulAlpha(half), true);
    assert.equal(alphaIsFlat(half), true);
  });

  it('rebuilds the alpha of logo.png upscaled 2× and flattened on black', () => {
    const upscaled = resizePixels(logo, { width: 256, height: 192 });
    const flat = flattenOnBlack(upscaled);
    assert.equal(hasMeaningfulAlpha(flat), false);
    const rebuilt = rebuildAlpha(logo, flat);
    assert.equal(rebuilt.width, 256);
    assert.equal(rebuilt.height, 192);
    assert.equal(hasMeaningfulAlpha(rebuilt), true);

    // Tolerance, on 0..255: mean absolute difference ≤ 2 and max ≤ 24 against the source's alpha
    // scaled independently (bilinear); filters differ a little on hard edges.
    const reference = bilinearAlpha(logo, 256, 192);
    const d = difference(alphaOf(rebuilt), reference);
    assert.ok(d.mean <= 2, `mean alpha difference ${d.mean}`);
    assert.ok(d.max <= 24, `max alpha difference ${d.max}`);
    // The flattened image (all opaque) is far from it, so the comparison does tell.
    assert.ok(difference(alphaOf(flat), reference).mean > 50);

    // The colours are the result's, untouched.
    for (let i = 0; i < flat.data.length; i += 4) {
      if (flat.data[i] !== rebuilt.data[i] || flat.data[i + 1] !== rebuilt.data[i + 1] || flat.data[i + 2] !== rebuilt.data[i + 2]) {
        assert.fail(`colour changed at pixel ${i / 4}`);
      }
    }
  });

  it('rebuilds alpha for non-integer factors and sizes that are not multiples', () => {
    for (const [width, height] of [
      [301, 227],
      [97, 71],
      [333, 250],
    ]) {
      const result: Pixels = { width, height, data: new Uint8ClampedArray(width * height * 4).fill(200) };
      const rebuilt = rebuildAlpha(logo, result);
      assert.equal(rebuilt.width, width);
      assert.equal(rebuilt.height, height);
      assert.equal(rebuilt.data.length, width * height * 4);
      // The same share of the picture is covered, and the transparent corners stay transparent.
      assert.ok(Math.abs(meanAlpha(rebuilt) - meanAlpha(logo)) < 2, `${width}×${height}: ${meanAlpha(rebuilt)} vs ${meanAlpha(logo)}`);
      assert.equal(logo.data[3], 0);
      assert.equal(rebuilt.data[3], 0, `${width}×${height} top-left`);
      assert.equal(rebuilt.data[rebuilt.data.length - 1], 0, `${width}×${height} bottom-right`);
      const d = difference(alphaOf(rebuilt), bilinearAlpha(logo, width, height));
      assert.ok(d.mean <= 3, `${width}×${height}: mean alpha difference ${d.mean}`);
    }
  });

  it('keeps a hard opaque/transparent edge within 0..255 (no ringing wraps round)', () => {
    const w = 8;
    const src: Pixels = { width: w, height: 1, data: new Uint8ClampedArray(w * 4) };
    for (let x = 0; x < w; x++) {
      src.data[x * 4 + 3] = x < w / 2 ? 0 : 255;
    }
    const out = rebuildAlpha(src, { width: 29, height: 3, data: new Uint8ClampedArray(29 * 3 * 4) });
    const a = alphaOf(out);
    assert.equal(a[0], 0);
    assert.equal(a[28], 255);
    for (let x = 1; x < 29; x++) {
      assert.ok(a[x] >= a[x - 1] - 16, `alpha drops sharply at ${x}: ${a[x - 1]} -> ${a[x]}`);
    }
  });

  it('rebuilds the alpha of a 2048×2048 result in well under 2 s', () => {
    const source: Pixels = { width: 1024, height: 1024, data: new Uint8ClampedArray(1024 * 1024 * 4) };
    for (let i = 0; i < source.data.length; i++) {
      source.data[i] = (i * 7) & 0xff;
    }
    const result: Pixels = { width: 2048, height: 2048, data: new Uint8ClampedArray(2048 * 2048 * 4) };
    const started = Date.now();
    const out = rebuildAlpha(source, result);
    const ms = Date.now() - started;
    assert.equal(out.width, 2048);
    assert.ok(ms < 2000, `took ${ms} ms`);
  });
});

describe('images: aspect ratio', () => {
  it('calls a result an upscale only when it is larger in at least one side; the same size or smaller is not', () => {
    assert.equal(isEnlargement({ width: 100, height: 50 }, { width: 200, height: 100 }), true);
    assert.equal(isEnlargement({ width: 300, height: 100 }, { width: 200, height: 200 }), true, 'a cropped upscale');
    assert.equal(isEnlargement({ width: 100, height: 50 }, { width: 100, height: 50 }), false);
    assert.equal(isEnlargement({ width: 100, height: 50 }, { width: 50, height: 25 }), false);
  });

  it('sees an even 2× upscale', () => {
    const c = compareAspect({ width: 128, height: 96 }, { width: 256, height: 192 });
    assert.deepEqual(c, { factorX: 2, factorY: 2, factor: 2, matches: true });
  });

  it('detects a 2× result cropped to a square', () => {
    const c = compareAspect({ width: 128, height: 96 }, { width: 192, height: 192 });
    assert.equal(c.matches, false);
    assert.equal(c.factorX, 1.5);
    assert.equal(c.factorY, 2);
    assert.equal(c.factor, 1.75);
  });

  it('allows rounding but not a real change of shape', () => {
    assert.equal(compareAspect({ width: 101, height: 33 }, { width: 202, height: 67 }).matches, true);
    assert.equal(compareAspect({ width: 160, height: 120 }, { width: 427, height: 320 }).matches, true); // 2.667×
    assert.equal(compareAspect({ width: 1000, height: 500 }, { width: 1500, height: 757 }).matches, false);
    assert.equal(compareAspect({ width: 1000, height: 500 }, { width: 1500, height: 752 }).matches, true);
    assert.equal(compareAspect({ width: 0, height: 10 }, { width: 10, height: 10 }).matches, false);
  });
});

describe('images: metadata', function () {
  this.timeout(30000);
  let codecs: Codecs;

  before(async () => {
    codecs = await loadCodecs();
  });

  it('computes CRC-32 as PNG does', () => {
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
    const data = fakeIcc(1000);
    assert.equal(crc32(data), zlibCrc32(data));
  });

  it('keeps a PNG iCCP chunk byte for byte, and the result still decodes', async () => {
    const logo = await codecs.decode(fixture('logo.png'));
    const iccp = iccpChunk(fakeIcc());
    const source = pngWith(await codecs.encode(logo, 'png'), iccp, rawPngChunk('gAMA', new Uint8Array([0, 0, 0xb1, 0x8f])));
    assert.equal((await codecs.decode(source)).width, 128); // the hand-made source is valid

    const upscaled = resizePixels(logo, { width: 256, height: 192 });
    // The result comes with its own sRGB chunk, which would contradict the profile.
    const result = pngWith(await codecs.encode(upscaled, 'png'), rawPngChunk('sRGB', new Uint8Array([0])));
    const out = keepMetadata(source, result, 'color');

    const types = pngChunkTypes(out);
    assert.deepEqual(types.slice(0, 3), ['IHDR', 'iCCP', 'gAMA']);
    assert.equal(types.includes('sRGB'), false);
    const kept = readPngColorChunks(out);
    assert.equal(kept.length, 2);
    assert.deepEqual(Buffer.from(kept[0]), Buffer.from(iccp));
    const decoded = await codecs.decode(out);
    assert.deepEqual([decoded.width, decoded.height], [256, 192]);
    assert.deepEqual(Buffer.from(decoded.data), Buffer.from((await codecs.decode(result)).data));
  });

  it('copies other PNG ancillary chunks in "all" mode, but not those tied to the pixel layout', async () => {
    const logo = await codecs.decode(fixture('logo.png'));
    const text = rawPngChunk('tEXt', new TextEncoder().encode('Author\0Someone'));
    const phys = rawPngChunk('pHYs', new Uint8Array([0, 0, 0x0b, 0x13, 0, 0, 0x0b, 0x13, 1]));
    const bkgd = rawPngChunk('bKGD', new Uint8Array([0, 255, 0, 255, 0, 255]));
    const source = pngWith(await codecs.encode(logo, 'png'), iccpChunk(fakeIcc()), phys, text, bkgd);
    const result = await codecs.encode(resizePixels(logo, { width: 256, height: 192 }), 'png');

    const color = pngChunkTypes(keepMetadata(source, result, 'color'));
    assert.deepEqual(color.filter((t) => t !== 'IDAT'), ['IHDR', 'iCCP', 'IEND']);

    const all = keepMetadata(source, result, 'all');
    const types = pngChunkTypes(all);
    assert.ok(types.includes('iCCP') && types.includes('pHYs') && types.includes('tEXt'), types.join());
    assert.equal(types.includes('bKGD'), false);
    assert.ok(types.indexOf('tEXt') < types.indexOf('IDAT'));
    assert.ok(includesBytes(all, text));
    assert.deepEqual(readSize(all), { width: 256, height: 192 });
    assert.equal((await codecs.decode(all)).width, 256);
  });

  it('writes PNG chunks with correct CRCs and replaces ones of the same type', async () => {
    const png = fixture('logo.png');
    const chunk = rawPngChunk('gAMA', new Uint8Array([0, 0, 0xb1, 0x8f]));
    const once = writePngWithChunks(png, [chunk]);
    const twice = writePngWithChunks(once, [chunk]);
    assert.deepEqual(pngChunkTypes(twice), ['IHDR', 'gAMA', 'IDAT', 'IEND']);
    assert.equal(twice.length, png.length + chunk.length);
    assert.throws(() => writePngWithChunks(png, [chunk.subarray(0, 10)]));
  });

  it('keeps a JPEG\'s orientation 6 and its ICC profile, drops GPS, and still decodes', async () => {
    const photo = await codecs.decode(fixture('photo.jpg'));
    const icc = fakeIcc(700);
    for (const little of [false, true]) {
      const exif = exifSegment(6, little);
      const source = jpegWith(await codecs.encode(photo, 'jpeg'), exif, ...iccSegments(icc, 2));
      assert.equal(readExifOrientation(source), 6);
      assert.deepEqual(readExifTags(source), [0x010f, 0x0112, 0x011a, 0x011b, 0x0128, 0x8825]);

      const upscaled = resizePixels(photo, { width: 320, height: 240 });
      const result = await codecs.encode(upscaled, 'jpeg');
      const out = keepMetadata(source, result, 'color');

      assert.equal(readExifOrientation(out), 6);
      const tags = readExifTags(out);
      assert.deepEqual(tags, [0x0112, 0x011a, 0x011b, 0x0128]);
      assert.equal(tags!.includes(0x8825), false, 'GPS IFD pointer is gone');
      const latitude = Buffer.alloc(GPS_LATITUDE.length * 4);
      GPS_LATITUDE.forEach((v, n) => (little ? latitude.writeUInt32LE(v, n * 4) : latitude.writeUInt32BE(v, n * 4)));
      assert.equal(includesBytes(out, latitude), false, 'GPS latitude is gone');
      assert.equal(includesBytes(out, new TextEncoder().encode('TestCam')), false, 'Make is gone');
      const kept = readJpegExif(out)!;
      assert.ok(kept.length < 100 && kept.length < exif.length / 3, `minimal EXIF is ${kept.length} bytes`);
      assert.equal(String.fromCharCode(kept[10], kept[11]), little ? 'II' : 'MM');
      // Resolution survives: 300/1 in the source's byte order.
      const resolution = Buffer.alloc(8);
      if (little) {
        resolution.writeUInt32LE(300, 0);
        resolution.writeUInt32LE(1, 4);
      } else {
        resolution.writeUInt32BE(300, 0);
        resolution.writeUInt32BE(1, 4);
      }
      assert.ok(includesBytes(kept, resolution));

      assert.deepEqual(readJpegIcc(out).map((s) => Buffer.from(s)), iccSegments(icc, 2).map((s) => Buffer.from(s)));
      // JFIF stays first, the inserted segments come right after it.
      assert.deepEqual([out[2], out[3], out[20], out[21]], [0xff, 0xe0, 0xff, 0xe1]);
      // It still decodes; the pixels stay as stored and the tag tells viewers to turn them.
      const decoded = await codecs.decode(out);
      assert.deepEqual([decoded.width, decoded.height], [320, 240]);
      assert.deepEqual(readSize(out), { width: 320, height: 240 });
    }
  });

  it('builds a minimal EXIF only from what is there', () => {
    const exif = exifSegment(3, true);
    const minimal = minimalExif(exif)!;
    assert.equal(readExifOrientation(minimal), 3);
    assert.equal(minimalExif(new Uint8Array([0xff, 0xe1, 0, 8, 0x45, 0x78, 0x69, 0x66, 0, 0])), undefined);
    assert.equal(minimalExif(exif.subarray(0, 30)), undefined);
  });

  it('keeps every APPn segment in "all" mode and replaces the result\'s own EXIF', async () => {
    const photo = await codecs.decode(fixture('photo.jpg'));
    const xmp = jpegSegment(0xe1, new TextEncoder().encode('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>'));
    const source = jpegWith(await codecs.encode(photo, 'jpeg'), exifSegment(6, false), xmp);
    const result = jpegWith(await codecs.encode(photo, 'jpeg'), exifSegment(1, true));
    const out = keepMetadata(source, result, 'all');
    assert.equal(readExifOrientation(out), 6);
    assert.ok(readExifTags(out)!.includes(0x8825), 'GPS kept in "all" mode');
    assert.ok(includesBytes(out, xmp));
    // exactly one Exif segment
    assert.equal(Buffer.from(out).toString('latin1').split('Exif\0\0').length - 1, 1);
    assert.equal((await codecs.decode(out)).width, 160); // pixels as stored; the tag says how to turn them

    const again = writeJpegWithSegments(out, [exifSegment(8, true)]);
    assert.equal(readExifOrientation(again), 8);
    assert.equal(Buffer.from(again).toString('latin1').split('Exif\0\0').length - 1, 1);
    // Writing only a profile still clears the EXIF of the codec output.
    const iccOnly = writeJpegWithSegments(again, iccSegments(fakeIcc(), 1));
    assert.equal(readJpegExif(iccOnly), undefined);
    assert.equal(readJpegIcc(iccOnly).length, 1);
  });

  it('keeps a WebP ICC profile, and the result still decodes at the same size', async () => {
    const icc = fakeIcc(500);
    const banner = fixture('banner.webp');
    const source = webpWithIcc(banner, icc);
    assert.equal((await codecs.decode(source)).width, 200); // the hand-made source is valid
    assert.deepEqual(Buffer.from(readWebpIcc(source)!), Buffer.from(icc));

    const pixels = resizePixels(await codecs.decode(banner), { width: 400, height: 120 });
    const result = await codecs.encode(pixels, 'webp');
    assert.deepEqual(webpChunkNames(result), ['VP8 ']);
    const out = keepMetadata(source, result, 'color');
    assert.deepEqual(webpChunkNames(out), ['VP8X', 'ICCP', 'VP8 ']);
    assert.deepEqual(Buffer.from(readWebpIcc(out)!), Buffer.from(icc));
    assert.equal(Buffer.from(out).readUInt32LE(4), out.length - 8, 'RIFF size');
    assert.equal(out[20] & 0x20, 0x20, 'ICC flag');
    assert.equal(out[20] & 0x10, 0, 'no alpha flag for an opaque image');
    assert.deepEqual(readSize(out), { width: 400, height: 120 });
    const decoded = await codecs.decode(out);
    assert.deepEqual([decoded.width, decoded.height], [400, 120]);
    assert.deepEqual(Buffer.from(decoded.data), Buffer.from((await codecs.decode(result)).data));
  });

  it('keeps the alpha of a WebP it adds a profile to', async () => {
    const logo = await codecs.decode(fixture('logo.png'));
    const result = await codecs.encode(logo, 'webp');
    assert.ok(webpChunkNames(result).includes('ALPH'));
    const out = writeWebpWithIcc(result, fakeIcc(301));
    assert.equal(out[20] & 0x30, 0x30, 'ICC and alpha flags');
    assert.equal(webpChunkNames(out).filter((n) => n === 'VP8X').length, 1);
    assert.equal(Buffer.from(out).readUInt32LE(4), out.length - 8, 'RIFF size');
    const decoded = await codecs.decode(out);
    assert.equal(hasMeaningfulAlpha(decoded), true);
    assert.equal(readWebpIcc(out)!.length, 301);
  });

  it('sets the alpha flag for a lossless (VP8L) WebP with alpha', async () => {
    const logo = await codecs.decode(fixture('logo.png'));
    // The codecs' encode has no lossless option, so ask libwebp for it directly.
    const encoder = await import('@jsquash/webp/encode.js');
    const image = new (globalThis as unknown as { ImageData: new (d: Uint8ClampedArray, w: number, h: number) => object }).ImageData(logo.data, logo.width, logo.height);
    const lossless = new Uint8Array(await encoder.default(image as never, { lossless: 1 }));
    assert.deepEqual(webpChunkNames(lossless), ['VP8L']);
    const out = writeWebpWithIcc(lossless, fakeIcc(320));
    assert.deepEqual(webpChunkNames(out), ['VP8X', 'ICCP', 'VP8L']);
    assert.equal(out[20] & 0x30, 0x30, 'ICC and alpha flags');
    assert.deepEqual(readSize(out), { width: 128, height: 96 });
    const decoded = await codecs.decode(out);
    assert.deepEqual(Buffer.from(alphaOf(decoded)), Buffer.from(alphaOf(logo)));
  });

  it('gives back the result unchanged when it cannot help', async () => {
    const png = fixture('logo.png');
    const jpeg = fixture('photo.jpg');
    const webp = fixture('banner.webp');
    assert.equal(keepMetadata(png, jpeg, 'all'), jpeg); // formats differ
    assert.equal(keepMetadata(png, png, 'color'), png); // nothing to copy
    assert.equal(keepMetadata(jpeg, jpeg, 'color'), jpeg);
    assert.equal(keepMetadata(webp, webp, 'all'), webp);
    const withIcc = pngWith(png, iccpChunk(fakeIcc()));
    assert.equal(keepMetadata(withIcc, png.subarray(0, 60), 'color').length, 60); // truncated result
    const broken = withIcc.slice();
    broken[36] = 0xff; // iCCP length now points past the end
    assert.equal(keepMetadata(broken, png, 'color'), png);
    assert.equal(keepMetadata(new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0xff]), jpeg, 'all'), jpeg);
  });
});

describe('images: conversion', function () {
  this.timeout(30000);
  let codecs: Codecs;

  before(async () => {
    codecs = await loadCodecs();
  });

  it('converts PNG to JPEG and to WebP at the right size', async () => {
    const png = fixture('logo.png');
    const jpeg = await convertImage(png, 'jpeg', { quality: 85 });
    assert.equal(sniffFormat(jpeg), 'jpeg');
    const j = await codecs.decode(jpeg);
    assert.deepEqual([j.width, j.height], [128, 96]);
    // the transparent corner is laid on white rather than black
    assert.ok(j.data[0] > 240 && j.data[1] > 240 && j.data[2] > 240, `corner ${j.data.subarray(0, 4).join()}`);

    const webp = await convertImage(png, 'webp');
    assert.equal(sniffFormat(webp), 'webp');
    const w = await codecs.decode(webp);
    assert.deepEqual([w.width, w.height], [128, 96]);
    assert.equal(hasMeaningfulAlpha(w), true);
  });

  it('scales a result back to the original\'s dimensions with resizeTo', async () => {
    const logo = await codecs.decode(fixture('logo.png'));
    const upscaled = await codecs.encode(resizePixels(logo, { width: 256, height: 192 }), 'png');
    const back = await convertImage(upscaled, 'png', { resizeTo: { width: 128, height: 96 } });
    assert.deepEqual(readSize(back), { width: 128, height: 96 });
    const b = await codecs.decode(back);
    assert.ok(difference(alphaOf(b), alphaOf(logo)).mean < 2);
    // premultiplied resampling: opaque pixels keep their colour closely
    let sum = 0;
    let n = 0;
    for (let i = 0; i < b.data.length; i += 4) {
      if (logo.data[i + 3] === 255) {
        sum += Math.abs(b.data[i] - logo.data[i]) + Math.abs(b.data[i + 1] - logo.data[i + 1]) + Math.abs(b.data[i + 2] - logo.data[i + 2]);
        n += 3;
      }
    }
    assert.ok(n > 0 && sum / n < 4, `mean colour difference ${sum / n}`);

    const photo = fixture('photo.jpg');
    const big = await convertImage(photo, 'jpeg', { resizeTo: { width: 480, height: 360 } });
    assert.deepEqual(readSize(big), { width: 480, height: 360 });
    const small = await convertImage(big, 'webp', { resizeTo: { width: 160, height: 120 }, quality: 80 });
    assert.deepEqual(readSize(small), { width: 160, height: 120 });
    assert.deepEqual(readSize(await convertImage(big, 'jpeg', { resizeTo: { width: 97, height: 73 } })), { width: 97, height: 73 });
  });

  it('resizes without bleeding the colour hidden under transparent pixels', () => {
    // left half: transparent but red underneath; right half: opaque blue
    const src: Pixels = { width: 8, height: 8, data: new Uint8ClampedArray(8 * 8 * 4) };
    for (let i = 0; i < 64; i++) {
      src.data.set(i % 8 < 4 ? [255, 0, 0, 0] : [0, 0, 255, 255], i * 4);
    }
    for (const [width, height] of [
      [3, 3],
      [5, 4],
      [13, 11],
    ]) {
      const out = resizePixels(src, { width, height });
      assert.equal(out.data.length, width * height * 4);
      for (let i = 0; i < out.data.length; i += 4) {
        if (out.data[i + 3] > 0) {
          assert.ok(out.data[i] <= 8, `${width}×${height}: red ${out.data[i]} at pixel ${i / 4} (alpha ${out.data[i + 3]})`);
        }
      }
    }
  });

  it('returns bytes already in the wanted format and size as they are', async () => {
    const png = fixture('logo.png');
    assert.equal(await convertImage(png, 'png', {}), png);
    assert.equal(await convertImage(png, 'png', { resizeTo: { width: 128, height: 96 } }), png);
  });
});
