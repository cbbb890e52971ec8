import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { limits } from '../../src/core/api/params';
import { describeProblems, globProblem, parsePresetFile, PresetFileResult, targetPattern } from '../../src/core/presets/presetFile';
import { allPresets, presetParams, PresetConfig, ruleFor } from '../../src/core/presets/presets';

const root = join(__dirname, '..', '..', '..');

function config(text: string): PresetConfig {
  const result = parsePresetFile(text);
  assert.deepEqual(result.problems, []);
  assert.ok(result.config);
  return result.config;
}

function problems(text: string): PresetFileResult['problems'] {
  const result = parsePresetFile(text);
  assert.equal(result.config, undefined, 'a file with a problem gives no presets at all');
  return result.problems;
}

describe('presets per path', () => {
  const file = `{
  // comments are allowed, as in VS Code's own settings
  "$schema": "../schemas/x.json",
  "presets": {
    "hero": { "label": "Hero images", "resemblance": 60, "detail": 70, "target": "fit:1920x1080" },
    "tiny": { "numImages": 2 },
  },
  "paths": {
    "**/*.png": "illustration",
    "icons/**": "ui",
    "icons/brand/**": "hero",
    "icons/*.png": "photo",
    "photos/**": "photo",
    "photos/hero.jpg": "hero",
  }
}`;

  it('reads presets with their label, parameters and target', () => {
    const c = config(file);
    assert.deepEqual(c.presets, [
      { id: 'hero', label: 'Hero images', params: { resemblance: 60, detail: 70 }, target: 'fit:1920x1080', builtIn: false },
      { id: 'tiny', label: 'tiny', params: { numImages: 2 }, builtIn: false, target: undefined },
    ]);
    assert.deepEqual(c.paths.map((r) => [r.glob, r.preset, r.line]), [
      ['**/*.png', 'illustration', 9],
      ['icons/**', 'ui', 10],
      ['icons/brand/**', 'hero', 11],
      ['icons/*.png', 'photo', 12],
      ['photos/**', 'photo', 13],
      ['photos/hero.jpg', 'hero', 14],
    ]);
  });

  it('gives a file the most specific glob: the longest literal start, then the one written first', () => {
    const c = config(file);
    const presetOf = (path: string) => ruleFor(path, c)?.preset;
    assert.equal(presetOf('icons/brand/logo.png'), 'hero', 'icons/brand/ is longer than icons/');
    assert.equal(presetOf('icons/app.png'), 'ui', 'icons/** and icons/*.png start alike: the first written wins');
    assert.equal(presetOf('icons/app.webp'), 'ui');
    assert.equal(presetOf('ICONS/App.PNG'), 'ui', 'case is ignored, as in the folder plan');
    assert.equal(presetOf('photos/hero.jpg'), 'hero', 'a plain path beats every glob');
    assert.equal(presetOf('photos/cat.jpg'), 'photo');
    assert.equal(presetOf('site/logo.png'), 'illustration', 'a glob with no literal start matches last');
    assert.equal(presetOf('site/logo.jpg'), undefined, 'no rule: the quick pick decides');
    assert.equal(ruleFor('a.png', undefined), undefined);
  });

  it('sends what a preset sets, its target size too, over the settings\' defaults', () => {
    const c = config(file);
    const defaults = { prompt: 'keep it', resemblance: 50, detail: 50, magicPrompt: 'AUTO' as const, numImages: 1 };
    const byId = new Map(allPresets(c).map((p) => [p.id, p]));
    assert.deepEqual([...byId.keys()], ['ui', 'photo', 'illustration', 'defaults', 'hero', 'tiny']);
    assert.deepEqual(presetParams(byId.get('ui')!, defaults), { prompt: 'keep it', resemblance: 90, detail: 20, magicPrompt: 'OFF', numImages: 1 });
    assert.deepEqual(presetParams(byId.get('defaults')!, defaults), defaults);
    assert.deepEqual(presetParams(byId.get('hero')!, defaults), { ...defaults, resemblance: 60, detail: 70, target: 'fit:1920x1080' });
  });

  it('names the line of a path mapped to a preset that does not exist', () => {
    const found = problems('{\n  "paths": {\n    "icons/**": "ui",\n    "photos/**": "fotos"\n  }\n}');
    assert.deepEqual(found, [{ line: 4, column: 1, message: 'unknown preset "fotos" (known: ui, photo, illustration, defaults)' }]);
    assert.equal(describeProblems('.vscode/ideogram-upscale-presets.json', found), '.vscode/ideogram-upscale-presets.json, line 4: unknown preset "fotos" (known: ui, photo, illustration, defaults)');
  });

  it('refuses bad globs, each at its line', () => {
    const found = problems('{"paths": {\n"/abs/**": "ui",\n"a\\\\b/*.png": "ui",\n"../x/**": "ui",\n"icons/[ab.png": "ui",\n"{a,b/**": "ui",\n"": "ui"\n}}');
    assert.deepEqual(found.map((p) => p.line), [2, 3, 4, 5, 6, 7]);
    assert.match(found[0].message, /absolute/);
    assert.match(found[1].message, /backslash/);
    assert.match(found[2].message, /leaves the workspace folder/);
    assert.match(found[3].message, /unmatched \[/);
    assert.match(found[4].message, /unmatched \{/);
    assert.match(found[5].message, /empty/);
    assert.equal(globProblem('assets/**/*.{png,jpg}'), undefined);
  });

  it('refuses fields and values the schema refuses, each at its line', () => {
    const found = problems(`{
  "presets": {
    "a": { "resemblance": 0 },
    "b": { "detail": 50.5, "magicPrompt": "MAYBE" },
    "c": { "resemblence": 60 },
    "d": { "target": "5x" },
    "ui": { "detail": 10 },
    "bad name": {},
    "e": 3
  },
  "path": {}
}`);
    assert.deepEqual(found.map((p) => [p.line, p.message]), [
      [3, 'resemblance must be a whole number from 1 to 100'],
      [4, 'detail must be a whole number from 1 to 100'],
      [4, 'magicPrompt must be AUTO, ON or OFF'],
      [5, 'unknown field "resemblence" in the preset "c"; the fields are label, prompt, resemblance, detail, magicPrompt, numImages, seed, target'],
      [6, '"target" must be 1.5x, 2x, 3x, 4x, width:N, height:N or fit:WxH, not "5x"'],
      [7, '"ui" is a built-in preset; give yours another name'],
      [8, 'a preset name is 1 to 40 letters, digits, ".", "_" or "-", not "bad name"'],
      [9, 'the preset "e" must be an object of parameters'],
      [11, 'unknown field "path"; the file has "presets" and "paths"'],
    ]);
  });

  it('refuses a glob, a preset or a field written twice, at its second line', () => {
    const found = problems('{"paths": {\n"icons/**": "ui",\n"icons/**": "photo"\n},\n"presets": {"a": {"detail": 1,\n"detail": 2}}}');
    assert.deepEqual(found.map((p) => [p.line, p.message]), [
      [3, '"icons/**" is written twice'],
      [6, '"detail" is written twice'],
    ]);
  });

  it('names the line where the JSON breaks', () => {
    const found = problems('{\n  "paths": {\n    "icons/**": "ui"\n    "photos/**": "photo"\n  }\n}');
    assert.equal(found[0].line, 4);
    assert.match(found[0].message, /not valid JSON \(CommaExpected\)/);
    assert.equal(problems('')[0].line, 1);
    assert.equal(problems('[1]')[0].message, 'the file must hold an object with "presets" and "paths"');
  });

  it('accepts exactly the target grammar, as the schema does', () => {
    const target = new RegExp(targetPattern);
    for (const ok of ['1.5x', '2x', '3x', '4x', 'width:512', 'height:64', 'fit:1024x768']) assert.ok(target.test(ok), ok);
    for (const bad of ['1x', '2.5x', '5x', 'width:', 'width:0', 'fit:1024', 'fit:0x1', '2X ', 'size:3']) assert.ok(!target.test(bad), bad);
  });

  it('has a schema that says what the parser says', () => {
    const schema = JSON.parse(readFileSync(join(root, 'schemas', 'ideogram-upscale-presets.schema.json'), 'utf8'));
    const preset = schema.definitions.preset.properties;
    assert.equal(preset.target.pattern, targetPattern);
    for (const key of ['resemblance', 'detail', 'numImages', 'seed'] as const) {
      assert.deepEqual([preset[key].minimum, preset[key].maximum], [limits[key].min, limits[key].max], key);
    }
    assert.deepEqual(preset.magicPrompt.enum, ['AUTO', 'ON', 'OFF']);
    assert.equal(preset.prompt.maxLength, limits.promptLength);
    assert.deepEqual(Object.keys(preset).sort(), ['detail', 'label', 'magicPrompt', 'numImages', 'prompt', 'resemblance', 'seed', 'target']);
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: '.vscode/ideogram-upscale-presets.json', url: './schemas/ideogram-upscale-presets.schema.json' }]);
  });
});
