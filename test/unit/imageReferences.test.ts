import * as assert from 'node:assert/strict';
import { candidatePaths, findImageReference } from '../../src/core/files/imageReferences';

/** A line with `|` where the cursor stands; the path expected there, or undefined. */
const cases: [string, string | undefined][] = [
  ['![logo](assets/lo|go.png)', 'assets/logo.png'],
  ['![logo](|assets/logo.png)', 'assets/logo.png'],
  ['![logo](assets/logo.png|)', 'assets/logo.png'],
  ['![lo|go](assets/logo.png)', undefined],
  ['![logo](assets/logo.png "The lo|go")', undefined],
  ['![logo](<assets/my lo|go.png>)', 'assets/my logo.png'],
  ['![logo](assets\\lo|go.png)', 'assets/logo.png'],
  ['[logo]: ./img/lo|go.webp', './img/logo.webp'],
  ['<img src="./he|ro.jpg" alt="hero">', './hero.jpg'],
  ['<img src=\'./he|ro.jpeg\'>', './hero.jpeg'],
  ['<img src="./hero.jpg" alt="he|ro">', undefined],
  ['background: url("../img/b|g.webp");', '../img/bg.webp'],
  ['background: url(../img/b|g.webp);', '../img/bg.webp'],
  ["background: url('../img/b|g.webp') no-repeat;", '../img/bg.webp'],
  ["import logo from './lo|go.png';", './logo.png'],
  ["const a = require('../a|.png');", '../a.png'],
  ['<Image src="/images/he|ro.png" />', '/images/hero.png'],
  ['<img :src="`./i|con.png`">', './icon.png'],
  ['<img src="./hero.jpg?v=|2">', './hero.jpg'],
  ['<img src="./hero.jpg#x|">', './hero.jpg'],
  ['![a](my%20lo|go.png)', 'my logo.png'],
  ['![a](100%|.png)', '100%.png'],
  ['![a](https://example.com/lo|go.png)', undefined],
  ['![a](//cdn.example.com/lo|go.png)', undefined],
  ['<img src="data:image/png;base64,iVB|ORw0.png">', undefined],
  ['<img src="http://x/y|.png">', undefined],
  ['![a](lo|go.svg)', undefined],
  ['![a](lo|go.gif)', undefined],
  ['const s = "no image he|re";', undefined],
  ['plain text logo.png with| no quotes', undefined],
  ['![a](A|.PNG)', 'A.PNG'],
  ['"first.png" and "sec|ond.jpg"', 'second.jpg'],
];

describe('findImageReference', () => {
  for (const [marked, expected] of cases) {
    it(`${marked.replace('|', '‸')} → ${expected ?? 'nothing'}`, () => {
      const character = marked.indexOf('|');
      const line = marked.slice(0, character) + marked.slice(character + 1);
      assert.equal(findImageReference(line, character)?.path, expected);
    });
  }

  it('gives the span of the path as written, for the hover', () => {
    const line = '<img src="./hero.jpg?v=2">';
    assert.deepEqual(findImageReference(line, 12), { path: './hero.jpg', start: 10, end: 24 });
  });
});

describe('candidatePaths', () => {
  const base = { documentPath: '/ws/docs/guide/intro.md', workspaceFolder: '/ws', assetRoots: ['public', 'static'] };

  it('resolves a relative path against the document', () => {
    assert.deepEqual(candidatePaths('../img/a.png', base), ['/ws/docs/img/a.png']);
    assert.deepEqual(candidatePaths('./a.png', base), ['/ws/docs/guide/a.png']);
    assert.deepEqual(candidatePaths('a.png', base), ['/ws/docs/guide/a.png']);
  });

  it('resolves a root-relative path against the workspace folder, then each asset root', () => {
    assert.deepEqual(candidatePaths('/images/hero.png', base), ['/ws/images/hero.png', '/ws/public/images/hero.png', '/ws/static/images/hero.png']);
  });

  it('keeps a root-relative path inside the workspace folder', () => {
    assert.deepEqual(candidatePaths('/../../etc/a.png', base), []);
    assert.deepEqual(candidatePaths('/a.png', { ...base, workspaceFolder: undefined }), []);
  });
});
