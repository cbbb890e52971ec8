import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTranslator } from '../../src/core/i18n';
import { DamagedImage } from '../../src/core/images/bytes';
import { loadCodecs } from '../../src/core/images/codecs';
import { damageOf } from '../../src/core/images/integrity';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspace', 'assets');
const fixture = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));
const cut = (b: Uint8Array, keep: number) => b.subarray(0, Math.floor(b.length * keep));

describe('a result that is not a whole image', function () {
  this.timeout(30000);
  const images = { PNG: fixture('logo.png'), JPEG: fixture('photo.jpg'), WebP: fixture('banner.webp') };

  it('a whole PNG, JPEG and WebP pass, also with bytes after a JPEG end marker', () => {
    for (const bytes of Object.values(images)) assert.equal(damageOf(bytes), undefined);
    const padded = new Uint8Array(images.JPEG.length + 300);
    padded.set(images.JPEG);
    assert.equal(damageOf(padded), undefined);
  });

  it('each format cut short anywhere after its header is named as cut short', () => {
    for (const [format, bytes] of Object.entries(images)) {
      for (const keep of [0.2, 0.6, 0.99]) {
        assert.equal(damageOf(cut(bytes, keep)), `the ${format} data is cut short`, `${format} at ${keep}`);
      }
    }
  });

  it('a PNG with a broken chunk type is named as malformed', () => {
    const bytes = images.PNG.slice();
    bytes.set([0x21, 0x21, 0x21, 0x21], 37); // the type of the chunk after IHDR
    assert.equal(damageOf(bytes), 'the PNG data is malformed');
  });

  it('the reason reaches the user in the translated words', () => {
    setTranslator((message, ...args) => (message === 'the {0} data is cut short' ? `${args[0]} 数据不完整（被截断）` : message));
    try {
      assert.equal(damageOf(cut(images.PNG, 0.5)), 'PNG 数据不完整（被截断）');
    } finally {
      setTranslator((message, ...args) => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])));
    }
  });

  it('a decoder failure is a DamagedImage that names the format, not the codec\'s own words alone', async () => {
    const codecs = await loadCodecs();
    const bytes = images.PNG.slice();
    // The framing kept whole (so the walk above passes it), the compressed picture inside replaced.
    const idat = Buffer.from(bytes).indexOf('IDAT');
    bytes.fill(0xab, idat + 4, idat + 200);
    assert.equal(damageOf(bytes), undefined);
    await assert.rejects(codecs.decode(bytes), (err: unknown) => err instanceof DamagedImage && /^the PNG data could not be decoded \(.+\)$/.test(err.message));
  });
});
