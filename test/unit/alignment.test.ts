import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rebuildAlpha, resizePixels } from '../../src/core/images/alpha';
import { Codecs, loadCodecs, Pixels } from '../../src/core/images/codecs';
import { checkResult } from '../../src/core/images/resultChecks';
import { doubleSize } from '../emulator/server';
import { alphaOf, edgeDistance, flattenOnBlack, transparentShapes, windowOf } from '../support/imageFixtures';

const logoFile = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspace', 'assets', 'logo.png');

type Fill = [number, number, number, number];

/** A service's window onto the original doubled: its corner and size in result pixels, and the colour of any padding. */
interface Cut {
  name: string;
  left: number;
  top: number;
  width: number;
  height: number;
  fill?: Fill;
  /** The window is then scaled to this size (a crop of every side that keeps the proportions). */
  resizeTo?: [number, number];
}

/**
 * Tolerance, in result pixels: the half-alpha edge of every row and column within 2 pixels (one
 * pixel of the original at 2×) of where the original's edge falls, 0.5 on average, and no more
 * than 2% of the lines crossing the edge a different number of times.
 */
const edgeTolerance = { max: 2, mean: 0.5, mismatched: 0.02 };

describe('images: transparency on a cropped or padded result', function () {
  this.timeout(60000);
  let codecs: Codecs;
  let shapes: Pixels;
  let logo: Pixels;

  before(async () => {
    codecs = await loadCodecs();
    shapes = transparentShapes(160, 110);
    logo = await codecs.decode(new Uint8Array(readFileSync(logoFile)));
  });

  /** What a user gets: the original and the service's flattened, cut result through `checkResult`, and the truth. */
  async function run(source: Pixels, cut: Cut) {
    const big = doubleSize(source);
    let truth = windowOf(big, cut.left, cut.top, cut.width, cut.height, [0, 0, 0, 0]);
    let result = windowOf(flattenOnBlack(big), cut.left, cut.top, cut.width, cut.height, cut.fill);
    if (cut.resizeTo) {
      const [width, height] = cut.resizeTo;
      truth = resizePixels(truth, { width, height });
      result = resizePixels(result, { width, height });
    }
    const checked = await checkResult(await codecs.encode(source, 'png'), await codecs.encode(result, 'png'), { rebuildTransparency: true });
    return { checked, truth, result, rebuilt: await codecs.decode(checked.bytes) };
  }

  const shapeCuts: Cut[] = [
    { name: 'cropped to a centred square', left: 50, top: 0, width: 220, height: 220 },
    { name: 'cropped 5% on the left and 3% at the top', left: 16, top: 7, width: 304, height: 213 },
    { name: 'padded to a square with black', left: 0, top: -50, width: 320, height: 320 },
    { name: 'padded unevenly with white', left: -9, top: -30, width: 340, height: 251, fill: [255, 255, 255, 255] },
    { name: 'cropped 6% across and padded 9% down', left: 20, top: -11, width: 280, height: 240 },
  ];
  for (const cut of shapeCuts) {
    it(`puts the alpha back where the shapes are on a result ${cut.name}`, async () => {
      const { checked, truth, rebuilt } = await run(shapes, cut);
      assert.equal(checked.alphaRebuilt, true);
      assert.equal(checked.alphaUnaligned, undefined);
      assert.deepEqual([rebuilt.width, rebuilt.height], [cut.width, cut.height]);
      const edge = edgeDistance(rebuilt, truth);
      assert.ok(edge.max <= edgeTolerance.max && edge.mean <= edgeTolerance.mean && edge.mismatched <= edge.lines * edgeTolerance.mismatched, `edges off by ${edge.max.toFixed(2)} px at most, ${edge.mean.toFixed(2)} on average, ${edge.mismatched} of ${edge.lines} lines differ`);
    });
  }

  it('lines up logo.png cropped to a square, padded to one, and cropped 3% all round then scaled back', async () => {
    const cuts: Cut[] = [
      { name: 'crop', left: 32, top: 0, width: 192, height: 192 },
      { name: 'pad', left: 0, top: -32, width: 256, height: 256 },
      { name: 'crop all round', left: 8, top: 6, width: 240, height: 180, resizeTo: [256, 192] },
    ];
    for (const cut of cuts) {
      const { checked, truth, rebuilt } = await run(logo, cut);
      assert.equal(checked.alphaRebuilt, true, cut.name);
      const edge = edgeDistance(rebuilt, truth);
      assert.ok(edge.max <= edgeTolerance.max && edge.mean <= edgeTolerance.mean, `${cut.name}: edges off by ${edge.max.toFixed(2)} px at most, ${edge.mean.toFixed(2)} on average`);
    }
  });

  it('(what it did before) the alpha stretched onto a cropped result falls beside the shapes', async () => {
    const { truth, result } = await run(shapes, shapeCuts[0]);
    const edge = edgeDistance(rebuildAlpha(shapes, result), truth);
    assert.ok(edge.max > 10 || edge.mismatched > edge.lines * 0.2, `stretched edges off by ${edge.max.toFixed(2)} px`);
  });

  it('leaves a different picture opaque and says the transparency could not be lined up', async () => {
    const other = flattenOnBlack(windowOf(doubleSize(mirror(shapes)), 50, 0, 220, 220));
    const encoded = await codecs.encode(other, 'png');
    const checked = await checkResult(await codecs.encode(shapes, 'png'), encoded, { rebuildTransparency: true });
    assert.equal(checked.alphaRebuilt, false);
    assert.equal(checked.alphaUnaligned, true);
    assert.deepEqual(checked.bytes, encoded, 'the result is kept as the service sent it');
    assert.ok(alphaOf(await codecs.decode(checked.bytes)).every((a) => a === 255), 'opaque');
  });

  it('leaves a cropped result opaque when the opaque part shows no edge to line up (a plain block)', async () => {
    // A green band from top to bottom, transparent on either side; the crop keeps only green.
    const block: Pixels = { width: 160, height: 110, data: new Uint8ClampedArray(160 * 110 * 4) };
    for (let y = 0; y < 110; y++) for (let x = 20; x < 140; x++) block.data.set([90, 160, 90, 255], (y * 160 + x) * 4);
    const { checked } = await run(block, { name: 'inside', left: 60, top: 0, width: 200, height: 220 });
    assert.equal(checked.alphaUnaligned, true);
    assert.equal(checked.alphaRebuilt, false);
  });

  it('still takes a result of the original\'s proportions whole', async () => {
    const { checked, truth, rebuilt } = await run(shapes, { name: 'whole', left: 0, top: 0, width: 320, height: 220 });
    assert.equal(checked.alphaRebuilt, true);
    assert.ok(edgeDistance(rebuilt, truth).max <= 1);
  });
});

function mirror(p: Pixels): Pixels {
  const data = new Uint8ClampedArray(p.data.length);
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) data.set(p.data.subarray((y * p.width + x) * 4, (y * p.width + x) * 4 + 4), (y * p.width + p.width - 1 - x) * 4);
  }
  return { width: p.width, height: p.height, data };
}
