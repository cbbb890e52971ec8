import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { outputName } from '../../src/core/files/naming';
import { checkedBaseUrl } from '../../src/core/api/services';
import { readSize, sniffFormat } from '../../src/core/images/format';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspace', 'assets');

describe('image formats by their bytes', () => {
  it('tells PNG, JPEG and WebP apart and reads their size', () => {
    const cases: [string, string, number, number][] = [
      ['logo.png', 'png', 128, 96],
      ['photo.jpg', 'jpeg', 160, 120],
      ['banner.webp', 'webp', 200, 60],
    ];
    for (const [file, format, width, height] of cases) {
      const bytes = new Uint8Array(readFileSync(join(fixtures, file)));
      assert.equal(sniffFormat(bytes), format, file);
      assert.deepEqual(readSize(bytes), { width, height }, file);
    }
  });

  it('recognises what the service refuses', () => {
    assert.equal(sniffFormat(Buffer.from('GIF89a......')), 'gif');
    assert.equal(sniffFormat(Buffer.from('BM......')), 'bmp');
    assert.equal(sniffFormat(Buffer.from('<?xml version="1.0"?><svg xmlns="x"></svg>')), 'svg');
    assert.equal(sniffFormat(Buffer.from('hello world')), undefined);
    assert.equal(sniffFormat(new Uint8Array(0)), undefined);
  });
});

describe('output names', () => {
  it('follows {name}@upscaled.{ext} and numbers taken names', () => {
    assert.equal(outputName('logo', 'png'), 'logo@upscaled.png');
    assert.equal(outputName('logo', 'png', 2), 'logo@upscaled-2.png');
    assert.equal(outputName('a.b', 'JPG', 3), 'a.b@upscaled-3.JPG');
  });
});

describe('base URL', () => {
  it('takes https anywhere and plain http only for this machine', () => {
    assert.equal(checkedBaseUrl('https://yunwu.ai/'), 'https://yunwu.ai');
    assert.equal(checkedBaseUrl('http://127.0.0.1:8787'), 'http://127.0.0.1:8787');
    assert.equal(checkedBaseUrl('http://localhost:1/'), 'http://localhost:1');
    assert.throws(() => checkedBaseUrl('http://example.com'), /https/);
    assert.throws(() => checkedBaseUrl('not a url'), /not a URL/);
  });
});
