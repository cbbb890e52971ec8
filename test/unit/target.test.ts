import * as assert from 'node:assert/strict';
import { priceOf } from '../../src/core/batch/plan';
import { compareAspect } from '../../src/core/images/aspect';
import { formatTarget, outputSize, parseTarget, passesFor, runPasses, sizeProblem, Target, targetFactor } from '../../src/core/images/target';

const scale = (factor: number): Target => ({ kind: 'scale', factor });

describe('target sizes', () => {
  it('reads the grammar of settings and preset files, and writes it back', () => {
    assert.deepEqual(parseTarget('1.5x'), scale(1.5));
    assert.deepEqual(parseTarget(' 3X '), scale(3));
    assert.deepEqual(parseTarget('8x'), scale(8));
    assert.deepEqual(parseTarget('width:512'), { kind: 'width', px: 512 });
    assert.deepEqual(parseTarget('height:512'), { kind: 'height', px: 512 });
    assert.deepEqual(parseTarget('fit:1024x768'), { kind: 'fit', width: 1024, height: 768 });
    for (const text of ['1.5x', '2x', '3x', '4x', '2.25x', 'width:512', 'height:40', 'fit:1024x768']) assert.equal(formatTarget(parseTarget(text)!), text);
  });

  it('refuses what is no enlargement or no target', () => {
    for (const text of ['1x', '0.5x', '8.5x', 'x', '2', '-2x', 'width:0', 'width:-5', 'width:', 'height:1.5', 'fit:1024', 'fit:0x10', 'fit:10x', 'size:512', '', '2x2']) {
      assert.equal(parseTarget(text), undefined, text);
    }
  });

  it('rounds each side to the nearest pixel, halves up, and keeps the side a target names exact', () => {
    assert.deepEqual(outputSize({ width: 128, height: 96 }, scale(3)), { width: 384, height: 288 });
    assert.deepEqual(outputSize({ width: 101, height: 33 }, scale(1.5)), { width: 152, height: 50 }); // 151.5 and 49.5 round up
    assert.deepEqual(outputSize({ width: 128, height: 96 }, { kind: 'width', px: 200 }), { width: 200, height: 150 });
    assert.deepEqual(outputSize({ width: 100, height: 33 }, { kind: 'width', px: 512 }), { width: 512, height: 169 }); // 168.96
    assert.deepEqual(outputSize({ width: 300, height: 7 }, { kind: 'height', px: 10 }), { width: 429, height: 10 }); // 428.57
    assert.deepEqual(outputSize({ width: 1, height: 1000 }, { kind: 'height', px: 1500 }), { width: 2, height: 1500 }); // 1.5 up
  });

  it('fits within a box: the tighter side decides, neither side exceeds it', () => {
    assert.deepEqual(outputSize({ width: 400, height: 300 }, { kind: 'fit', width: 1024, height: 768 }), { width: 1024, height: 768 });
    assert.deepEqual(outputSize({ width: 400, height: 100 }, { kind: 'fit', width: 1024, height: 768 }), { width: 1024, height: 256 });
    assert.deepEqual(outputSize({ width: 100, height: 400 }, { kind: 'fit', width: 1024, height: 768 }), { width: 192, height: 768 });
    assert.deepEqual(outputSize({ width: 333, height: 111 }, { kind: 'fit', width: 1000, height: 1000 }), { width: 1000, height: 333 });
  });

  it('gives sizes whose proportions the replace accepts as the original\'s', () => {
    const targets: Target[] = [scale(1.5), scale(2.7), scale(3), { kind: 'width', px: 517 }, { kind: 'height', px: 301 }, { kind: 'fit', width: 999, height: 555 }];
    for (let width = 17; width < 400; width += 37) {
      for (let height = 9; height < 400; height += 41) {
        for (const target of targets) {
          const to = outputSize({ width, height }, target);
          assert.ok(compareAspect({ width, height }, to).matches, `${width}×${height} to ${formatTarget(target)}: ${to.width}×${to.height}`);
        }
      }
    }
  });

  it('takes one pass up to 2x, two up to 4x, three up to 8x', () => {
    assert.deepEqual([1.01, 1.5, 2, 2.0000000001, 2.01, 3, 4, 4.5, 8].map(passesFor), [1, 1, 1, 1, 2, 2, 2, 3, 3]);
    assert.equal(passesFor(targetFactor({ width: 128, height: 96 }, { kind: 'width', px: 256 })), 1);
    assert.equal(passesFor(targetFactor({ width: 128, height: 96 }, { kind: 'width', px: 257 })), 2);
    assert.equal(passesFor(targetFactor({ width: 100, height: 50 }, { kind: 'fit', width: 1000, height: 200 })), 2); // 4x by height
  });

  it('prices every pass: a 3x run bills twice per result, a width target image by image', () => {
    const three = runPasses([{ width: 128, height: 96 }, { width: 800, height: 600 }], scale(3), 2);
    assert.deepEqual(three, { passes: 4, results: 8 });
    assert.deepEqual(priceOf(three.results, 1, 0.06, 'USD'), { results: 8, amount: 0.48, currency: 'USD' });
    // 512 px wide: 4x for a 128 px image, 1.28x for a 400 px one.
    assert.deepEqual(runPasses([{ width: 128, height: 96 }, { width: 400, height: 300 }], { kind: 'width', px: 512 }, 1), { passes: 3, results: 3 });
    assert.deepEqual(runPasses([{ width: 100, height: 100 }], scale(2), 1), { passes: 1, results: 1 }, 'the default is today\'s one pass');
    assert.deepEqual(runPasses([undefined], scale(4), 1), { passes: 2, results: 2 });
  });

  it('says before sending when an image is already as large as the target, or would be enlarged too much', () => {
    assert.match(sizeProblem('hero.png', { width: 600, height: 400 }, { kind: 'width', px: 512 }) ?? '', /hero\.png is 600×400 already/);
    assert.match(sizeProblem('icon.png', { width: 16, height: 16 }, { kind: 'width', px: 512 }) ?? '', /32 times .* more than 8/);
    assert.equal(sizeProblem('logo.png', { width: 128, height: 96 }, scale(3)), undefined);
    assert.equal(sizeProblem('logo.png', { width: 128, height: 96 }, { kind: 'fit', width: 1024, height: 768 }), undefined);
  });
});
