import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DamagedImage } from '../../src/core/images/bytes';
import { readSize } from '../../src/core/images/format';
import { checkResult } from '../../src/core/images/resultChecks';
import { ImageWork } from '../../src/jobs/imageWork';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspace', 'assets');
const fixture = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));
/** The worker's script as TypeScript compiles it (the extension runs esbuild's bundle of the same file). */
const script = join(__dirname, '..', '..', 'src', 'core', 'images', 'imageWorker.js');

describe('image work on a worker thread', function () {
  this.timeout(60000);
  const bundle = { 'the {0} data could not be decoded ({1})': '无法解码 {0} 数据（{1}）' };
  let work: ImageWork;
  before(() => (work = new ImageWork(bundle, script)));
  after(() => work.dispose());

  it('gives the same checked result as the work done in this thread', async () => {
    const logo = fixture('logo.png');
    const photo = fixture('photo.jpg');
    const there = await work.run('checkResult', logo, photo, { rebuildTransparency: true });
    const here = await checkResult(logo, photo, { rebuildTransparency: true });
    assert.deepEqual({ ...there, bytes: Buffer.from(there.bytes).toString('base64') }, { ...here, bytes: Buffer.from(here.bytes).toString('base64') });
  });

  it('converts on the worker, requests answered in the order asked', async () => {
    const [jpeg, webp] = await Promise.all([work.run('convertImage', fixture('logo.png'), 'jpeg', {}), work.run('convertImage', fixture('photo.jpg'), 'webp', { quality: 80 })]);
    assert.deepEqual(readSize(jpeg), readSize(fixture('logo.png')));
    assert.deepEqual(readSize(webp), readSize(fixture('photo.jpg')));
    assert.equal(Buffer.from(webp.subarray(8, 12)).toString('latin1'), 'WEBP');
  });

  it('a damaged image comes back as a DamagedImage, in the words of the bundle it was given', async () => {
    const bytes = fixture('logo.png').slice();
    const idat = Buffer.from(bytes).indexOf('IDAT');
    bytes.fill(0xab, idat + 4, idat + 200);
    await assert.rejects(work.run('convertImage', bytes, 'jpeg', {}), (err: unknown) => err instanceof DamagedImage && /^无法解码 PNG 数据（.+）$/.test(err.message));
  });

  it('starts again after it was stopped', async () => {
    work.dispose();
    const jpeg = await work.run('convertImage', fixture('banner.webp'), 'jpeg', {});
    assert.deepEqual(readSize(jpeg), readSize(fixture('banner.webp')));
  });
});
