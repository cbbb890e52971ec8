import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resizePixels } from '../../src/core/images/alpha';
import { Codecs, loadCodecs } from '../../src/core/images/codecs';
import { readExifOrientation, readExifTags } from '../../src/core/images/exif';
import { keepMetadata } from '../../src/core/images/metadata';
import { pngChunkTypes, readPngColorChunks, readPngExif } from '../../src/core/images/png';
import { readWebpExif, readWebpIcc } from '../../src/core/images/webp';
import { exifSegment, fakeIcc, iccpChunk, includesBytes, pngWith, rawPngChunk, webpChunkNames, webpWith } from '../support/imageFixtures';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspace', 'assets');
const fixture = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));
const gps = 0x8825;
const make = new TextEncoder().encode('TestCam');

/** EXIF as PNG's eXIf and WebP's EXIF carry it: the TIFF data alone, without JPEG's "Exif\0\0". */
const tiffOf = (little: boolean) => exifSegment(6, little).subarray(10);

describe('images: EXIF orientation in PNG and WebP', function () {
  this.timeout(30000);
  let codecs: Codecs;

  before(async () => {
    codecs = await loadCodecs();
  });

  it('keeps a PNG\'s eXIf orientation and resolution in "color" mode, and drops its GPS position', async () => {
    const logo = await codecs.decode(fixture('logo.png'));
    for (const little of [false, true]) {
      const iccp = iccpChunk(fakeIcc(300));
      const source = pngWith(fixture('logo.png'), iccp, rawPngChunk('eXIf', tiffOf(little)));
      const result = await codecs.encode(resizePixels(logo, { width: 256, height: 192 }), 'png');
      const out = keepMetadata(source, result, 'color');
      assert.equal(readExifOrientation(readPngExif(out)!), 6);
      assert.deepEqual(readExifTags(readPngExif(out)!), [0x0112, 0x011a, 0x011b, 0x0128]);
      assert.equal(includesBytes(out, make), false, 'Make is gone');
      assert.deepEqual(readPngColorChunks(out).map((c) => Buffer.from(c)), [Buffer.from(iccp)]);
      assert.ok(pngChunkTypes(out).indexOf('eXIf') < pngChunkTypes(out).indexOf('IDAT'), 'eXIf comes before the image data');
      assert.equal((await codecs.decode(out)).width, 256);
    }
  });

  it('keeps a WebP\'s EXIF orientation in "color" mode, with the EXIF flag set', async () => {
    const banner = fixture('banner.webp');
    const icc = fakeIcc(200);
    const source = webpWith(banner, { ICCP: icc, EXIF: tiffOf(true) });
    assert.equal((await codecs.decode(source)).width, 200); // the hand-made source is valid
    const result = await codecs.encode(resizePixels(await codecs.decode(banner), { width: 400, height: 120 }), 'webp');
    const out = keepMetadata(source, result, 'color');
    assert.deepEqual(webpChunkNames(out), ['VP8X', 'ICCP', 'VP8 ', 'EXIF']);
    assert.equal(out[20] & 0x08, 0x08, 'EXIF flag');
    assert.equal(readExifOrientation(readWebpExif(out)!), 6);
    assert.equal(readExifTags(readWebpExif(out)!)?.includes(gps), false, 'no GPS position');
    assert.deepEqual(Buffer.from(readWebpIcc(out)!), Buffer.from(icc));
    assert.equal((await codecs.decode(out)).width, 400);
  });

  it('reads a WebP EXIF payload that starts with JPEG\'s "Exif\\0\\0"', async () => {
    const banner = fixture('banner.webp');
    const source = webpWith(banner, { EXIF: new Uint8Array(Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiffOf(false)])) });
    const out = keepMetadata(source, banner, 'color');
    assert.equal(readExifOrientation(readWebpExif(out)!), 6);
  });

  it('keeps the whole EXIF in "all" mode', async () => {
    const source = pngWith(fixture('logo.png'), rawPngChunk('eXIf', tiffOf(false)));
    const out = keepMetadata(source, fixture('logo.png'), 'all');
    assert.ok(readExifTags(readPngExif(out)!)?.includes(gps));
  });
});
