import * as assert from 'node:assert/strict';
import { makePlan, outputMatcher, PlanRules, priceOf, ScannedImage } from '../../src/core/batch/plan';
import { DoneRecord, emptyRecord, isDone, parseRecord, serializeRecord } from '../../src/core/batch/record';

const rules: PlanRules = { maxLongSide: 2048, minLongSide: 16, maxUploadBytes: 10 * 1024 * 1024, fileNamePattern: '{name}@upscaled.{ext}' };
const image = (path: string, width: number, height: number, extra: Partial<ScannedImage> = {}): ScannedImage => ({
  path,
  bytes: width * height,
  format: path.endsWith('.png') ? 'png' : path.endsWith('.webp') ? 'webp' : 'jpeg',
  size: { width, height },
  ...extra,
});

/** A tree as a repository has it: mixed formats, outputs of an earlier run, done files, large and small images. */
const tree: ScannedImage[] = [
  image('assets/logo.png', 128, 96),
  image('assets/photo.jpg', 800, 600),
  image('assets/banner.webp', 1200, 300),
  image('assets/logo@upscaled.png', 256, 192),
  image('assets/logo@upscaled-2.png', 256, 192),
  image('assets/hero.jpg', 4000, 3000),
  image('assets/edge.png', 2048, 100),
  image('assets/favicon.png', 12, 12),
  image('assets/done.png', 300, 300, { done: true }),
  image('assets/fake.png', 10, 10, { format: 'gif' }),
  image('assets/huge.png', 1000, 1000, { bytes: 11 * 1024 * 1024 }),
  image('icons/app.PNG', 64, 64),
];

describe('the folder plan', () => {
  it('leaves out the variants an earlier run wrote beside their base, as upscaled copies', () => {
    const plan = makePlan([image('img/logo.png', 128, 96), image('img/logo@2x.png', 256, 192), image('img/logo@3x.png', 384, 288), image('res/drawable-xxhdpi/ic.png', 300, 300)], {
      ...rules,
      variantPatterns: ['{name}@2x.{ext}', '{name}@3x.{ext}', '../drawable-xxhdpi/{name}.{ext}'],
    });
    assert.deepEqual(plan.candidates.map((c) => c.path), ['img/logo.png', 'res/drawable-xxhdpi/ic.png']);
    assert.deepEqual(plan.skipped.map((s) => [s.image.path, s.reason]), [['img/logo@2x.png', 'output'], ['img/logo@3x.png', 'output']]);
  });

  it('keeps what needs upscaling and says why the rest is left out', () => {
    const plan = makePlan(tree, rules);
    assert.deepEqual(plan.candidates.map((c) => c.path), ['assets/banner.webp', 'assets/logo.png', 'assets/photo.jpg', 'icons/app.PNG']);
    assert.deepEqual(Object.fromEntries(plan.skipped.map((s) => [s.image.path, s.reason])), {
      'assets/done.png': 'done',
      'assets/edge.png': 'tooLarge',
      'assets/fake.png': 'format',
      'assets/favicon.png': 'tooSmall',
      'assets/hero.jpg': 'tooLarge',
      'assets/huge.png': 'fileTooBig',
      'assets/logo@upscaled-2.png': 'output',
      'assets/logo@upscaled.png': 'output',
    });
    assert.equal(plan.totalBytes, 128 * 96 + 800 * 600 + 1200 * 300 + 64 * 64);
  });

  it('applies include and exclude globs, case-insensitively', () => {
    const plan = makePlan(tree, { ...rules, include: ['assets/**'], exclude: ['**/*.webp'] });
    assert.deepEqual(plan.candidates.map((c) => c.path), ['assets/logo.png', 'assets/photo.jpg']);
    assert.equal(plan.skipped.find((s) => s.image.path === 'icons/app.PNG')?.reason, 'filtered');
    assert.equal(plan.skipped.find((s) => s.image.path === 'assets/banner.webp')?.reason, 'filtered');
  });

  it('"only images whose long side is below N px" is the large-image threshold', () => {
    const plan = makePlan(tree, { ...rules, maxLongSide: 500 });
    assert.deepEqual(plan.candidates.map((c) => c.path), ['assets/logo.png', 'icons/app.PNG']);
  });

  it('tells outputs by the name pattern, with the counter of later copies', () => {
    const isOutput = outputMatcher('{name}@upscaled.{ext}');
    assert.ok(isOutput('logo@upscaled.png'));
    assert.ok(isOutput('logo@upscaled-12.JPG'));
    assert.equal(isOutput('logo.png'), false);
    assert.equal(isOutput('upscaled.png'), false);
    assert.ok(outputMatcher('{name}-2x.{ext}')('logo-2x.webp'));
    assert.ok(outputMatcher('hd_{name}.{ext}')('hd_logo.png'));
  });

  it('prices images × results per image × price per result', () => {
    assert.deepEqual(priceOf(120, 2, 0.06, 'USD'), { results: 240, amount: 14.4, currency: 'USD' });
    assert.deepEqual(priceOf(0, 1, 0.06, 'USD'), { results: 0, amount: 0, currency: 'USD' });
    assert.equal(priceOf(3, 1, 0.1, 'CNY').amount, 0.3, 'no floating-point dust');
  });
});

describe('the record of done work', () => {
  const entry = { original: 'a'.repeat(64), result: 'b'.repeat(64), output: 'replace' as const, service: 'gateway', params: { resemblance: 50, detail: 50 }, date: '2026-12-01' };

  it('writes one entry a line, paths and keys sorted, so that branches merge', () => {
    const record: DoneRecord = { version: 1, images: { 'z/last.png': entry, 'a/first.png': { ...entry, params: { detail: 50, resemblance: 50 } } } };
    const text = serializeRecord(record);
    const lines = text.split('\n');
    assert.equal(lines[0], '{');
    assert.equal(lines[1], '  "version": 1,');
    assert.ok(lines[3].startsWith('    "a/first.png": {"date":"2026-12-01","original":"aaa'), lines[3]);
    assert.ok(lines[3].includes('"params":{"detail":50,"resemblance":50}'), 'keys sorted at every depth');
    assert.ok(lines[4].startsWith('    "z/last.png": '));
    assert.equal(text.endsWith('}\n'), true);
    assert.deepEqual(parseRecord(text), record, 'reads back what it wrote');
    assert.equal(serializeRecord(parseRecord(text)), text, 'stable');
  });

  it('an empty record reads back empty', () => {
    assert.deepEqual(parseRecord(serializeRecord(emptyRecord())), emptyRecord());
  });

  it('refuses a file that is not a record, saying what is wrong', () => {
    assert.throws(() => parseRecord('{ nope'), /ideogram-upscale\.json is not valid JSON/);
    assert.throws(() => parseRecord('{"version":2}'), /not a record of version 1/);
  });

  it('a file is done when its bytes are the recorded result, or the original kept beside a copy', () => {
    assert.ok(isDone(entry, entry.result));
    assert.equal(isDone(entry, entry.original), false, 'a replace that was undone is a candidate again');
    assert.ok(isDone({ ...entry, output: 'copy' }, entry.original));
    assert.equal(isDone(entry, 'c'.repeat(64)), false, 'changed since');
    assert.equal(isDone(undefined, entry.result), false);
  });
});
