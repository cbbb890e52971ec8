import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCodecs } from '../../src/core/images/codecs';
import { resampleTo } from '../../src/core/images/convert';
import { exactSizeFor } from '../../src/core/images/exactSize';
import { readSize } from '../../src/core/images/format';
import { exifSegment, jpegWith } from '../support/imageFixtures';

const fixture = (name: string) => new Uint8Array(readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspace', 'assets', name)));

describe('the exact size of a result', function () {
  this.timeout(30000);
  const photo = fixture('photo.jpg'); // 160×120 as stored
  const turned = jpegWith(photo, exifSegment(6, false)); // seen as 120×160

  it('is the target of the stored size, for a result of the stored proportions', () => {
    assert.deepEqual(exactSizeFor(photo, { width: 640, height: 480 }, { kind: 'scale', factor: 3 }), { width: 480, height: 360 });
    assert.deepEqual(exactSizeFor(photo, { width: 320, height: 240 }, { kind: 'width', px: 200 }), { width: 200, height: 150 });
  });

  it('reads a width as the image is seen when EXIF turns it, whether or not the service turned it too', () => {
    // Seen 120×160: 300 px wide is 300×400 seen, stored turned back when the service kept the stored layout.
    assert.deepEqual(exactSizeFor(turned, { width: 320, height: 240 }, { kind: 'width', px: 300 }), { width: 400, height: 300 });
    assert.deepEqual(exactSizeFor(turned, { width: 240, height: 320 }, { kind: 'width', px: 300 }), { width: 300, height: 400 });
  });

  it('leaves a result the service cropped or padded to other proportions as it is, and one no larger than the original', () => {
    assert.equal(exactSizeFor(photo, { width: 240, height: 240 }, { kind: 'scale', factor: 3 }), undefined);
    assert.equal(exactSizeFor(photo, { width: 80, height: 60 }, { kind: 'scale', factor: 2 }), undefined, 'a thumbnail is not made to pass for an upscale');
    assert.equal(exactSizeFor(photo, { width: 160, height: 120 }, { kind: 'scale', factor: 2 }), undefined);
  });

  it('resamples to that size in the result\'s own format, and leaves bytes of that size untouched', async () => {
    const codecs = await loadCodecs();
    const logo = fixture('logo.png');
    const bigger = await resampleTo(logo, { width: 300, height: 225 });
    assert.deepEqual(readSize(bigger), { width: 300, height: 225 });
    const decoded = await codecs.decode(bigger);
    assert.equal(decoded.format, 'png');
    assert.ok(decoded.data.some((v, i) => i % 4 === 3 && v === 0) && decoded.data.some((v, i) => i % 4 === 3 && v === 255), 'transparent and opaque parts both kept');
    assert.equal(await resampleTo(logo, { width: 128, height: 96 }), logo);
  });
});
