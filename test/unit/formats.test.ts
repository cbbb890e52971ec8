import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { imagePathLanguages } from '../../src/core/files/imageReferences';
import { hasExtensionOf, isUpscalableName, upscalableExtensions, whenClauseExtensions } from '../../src/core/images/extensions';

const root = resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { menus: Record<string, { command: string; when?: string }[]> } };

describe('the image formats the product accepts', () => {
  it('every menu that offers the upscale command names exactly the list of extensions', () => {
    const items = Object.entries(pkg.contributes.menus).flatMap(([menu, list]) => list.filter((i) => i.command === 'ideogramUpscale.upscale').map((i) => ({ menu, when: i.when ?? '' })));
    assert.ok(items.length >= 2, 'the explorer and the image preview offer it');
    for (const { menu, when } of items) {
      assert.ok(when.includes(whenClauseExtensions), `${menu}: "${when}" does not carry ${whenClauseExtensions}`);
      const tests = when.match(/resourceExtname =~ \/[^/]+\/i?/g) ?? [];
      assert.deepEqual(tests, [whenClauseExtensions], `${menu} has one extension test, the shared one`);
    }
  });

  it('the when-clause test accepts exactly the listed extensions, in any case', () => {
    const regex = new RegExp(whenClauseExtensions.replace(/^resourceExtname =~ \/(.*)\/i$/, '$1'), 'i');
    for (const ext of upscalableExtensions) {
      assert.ok(regex.test(`.${ext}`) && regex.test(`.${ext.toUpperCase()}`), ext);
      assert.ok(isUpscalableName(`a.${ext.toUpperCase()}`), ext);
    }
    for (const ext of ['svg', 'gif', 'bmp', 'png.txt', 'tiff']) {
      assert.equal(regex.test(`.${ext}`), false, ext);
      assert.equal(isUpscalableName(`a.${ext}`), false, ext);
    }
  });

  it('a name must match its content: .jfif and .jpe are JPEG, .png is not', () => {
    assert.ok(hasExtensionOf('jpeg', 'photo.JFIF'));
    assert.ok(hasExtensionOf('jpeg', 'photo.jpe'));
    assert.equal(hasExtensionOf('jpeg', 'photo.png'), false);
    assert.equal(hasExtensionOf('png', 'png'), false, 'a name without a dot has no extension');
  });
});

describe('the languages where image paths are looked for', () => {
  const manifest = pkg as unknown as { activationEvents: string[]; contributes: { menus: Record<string, { command: string; when?: string }[]> } };

  it('activate the extension, and no other language does', () => {
    const languages = manifest.activationEvents.filter((e) => e.startsWith('onLanguage:')).map((e) => e.slice('onLanguage:'.length));
    assert.deepEqual(languages, imagePathLanguages);
  });

  it('are the ones the editor menu offers "Upscale Image at Cursor" in, and only on a path', () => {
    const item = manifest.contributes.menus['editor/context'].find((i) => i.command === 'ideogramUpscale.upscaleAtCursor');
    assert.equal(item?.when, `resourceLangId =~ /^(${imagePathLanguages.join('|')})$/ && ideogramUpscale.imageAtCursor`);
  });
});
