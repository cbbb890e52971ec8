import * as assert from 'node:assert/strict';
import { defaultVariants, largestScale, variantPath, variantsProblem, VariantRule } from '../../src/core/files/variants';
import { groupCount, keepNewestGroups, lastGroup } from '../../src/core/files/undoGroups';

const android: VariantRule[] = [
  { pattern: '../drawable-hdpi/{name}.{ext}', scale: 1.5 },
  { pattern: '../drawable-xhdpi/{name}.{ext}', scale: 2 },
  { pattern: '../drawable-xxhdpi/{name}.{ext}', scale: 3 },
  { pattern: '../drawable-xxxhdpi/{name}.{ext}', scale: 4 },
];

describe('variant naming', () => {
  it('puts @2x and @3x beside the base file, keeping the extension as spelt', () => {
    assert.deepEqual(defaultVariants.map((r) => variantPath('site/img/logo.png', r)), ['site/img/logo@2x.png', 'site/img/logo@3x.png']);
    assert.equal(variantPath('/ws/a/Photo.final.JPG', defaultVariants[0]), '/ws/a/Photo.final@2x.JPG');
    assert.equal(variantPath('logo.png', { pattern: 'hi-res/{name}-{name}.{ext}', scale: 2 }), 'hi-res/logo-logo.png');
  });

  it('puts Android densities in the sibling folders of drawable-mdpi', () => {
    assert.deepEqual(android.map((r) => variantPath('app/src/main/res/drawable-mdpi/ic_logo.png', r)), [
      'app/src/main/res/drawable-hdpi/ic_logo.png',
      'app/src/main/res/drawable-xhdpi/ic_logo.png',
      'app/src/main/res/drawable-xxhdpi/ic_logo.png',
      'app/src/main/res/drawable-xxxhdpi/ic_logo.png',
    ]);
    assert.equal(largestScale(android), 4);
    assert.equal(variantsProblem(android), undefined);
  });

  it('refuses patterns that would not name a file near the base, and scales that are no enlargement', () => {
    const problem = (pattern: string, scale = 2) => variantsProblem([{ pattern, scale }]);
    assert.equal(problem('{name}@2x.{ext}'), undefined);
    assert.match(problem('logo@2x.png') ?? '', /has no \{name\}/);
    for (const bad of ['/abs/{name}.{ext}', 'a/../{name}.{ext}', './{name}.{ext}', 'a//{name}.{ext}', '..\\{name}.{ext}', '../../x/../{name}.{ext}']) assert.match(problem(bad) ?? '', /relative to the image's folder/, bad);
    assert.match(problem('{name}@1x.{ext}', 1) ?? '', /above 1 up to 8/);
    assert.match(problem('{name}@9x.{ext}', 9) ?? '', /above 1 up to 8/);
    assert.match(variantsProblem([...defaultVariants, defaultVariants[0]]) ?? '', /listed twice/);
    assert.match(variantsProblem([]) ?? '', /no variants/);
  });
});

describe('undo records of a batch', () => {
  const one = (at: number, batch?: string) => ({ at, batch });

  it('the last replace, or the whole run it belonged to', () => {
    assert.deepEqual(lastGroup([one(1), one(2, 'a'), one(3, 'a')]), [one(2, 'a'), one(3, 'a')]);
    assert.deepEqual(lastGroup([one(1, 'a'), one(2, 'a'), one(3)]), [one(3)]);
    assert.deepEqual(lastGroup([one(1, 'a'), one(2), one(3, 'a')]), [one(1, 'a'), one(3, 'a')], 'a single replace made during the run does not split it');
    assert.deepEqual(lastGroup([]), []);
  });

  it('keeps the newest groups whole, so a run of 60 is never cut in half', () => {
    const run = Array.from({ length: 60 }, (_, i) => one(100 + i, 'big'));
    const records = [one(1), one(2, 'old'), one(3, 'old'), ...run, one(200)];
    assert.equal(groupCount(records), 4);
    assert.deepEqual(keepNewestGroups(records, 2), [...run, one(200)]);
    assert.deepEqual(keepNewestGroups(records, 3), [one(2, 'old'), one(3, 'old'), ...run, one(200)]);
    assert.deepEqual(keepNewestGroups(records, 50), records);
    assert.deepEqual(keepNewestGroups(Array.from({ length: 55 }, (_, i) => one(i)), 50).map((r) => r.at)[0], 5);
  });
});
