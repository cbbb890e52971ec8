import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { loadCodecs, Pixels } from '../../src/core/images/codecs';
import { doubleSize, Emulator } from '../emulator/server';
import { env, ui } from '../support/handshake';
import { alphaOf, edgeDistance, transparentShapes, windowOf } from '../support/imageFixtures';
import { activate, decodeFile, panel, startEmulator, testKey, upscale, workspaceFile } from './helpers';

/**
 * Tolerance, in pixels of the saved file: the half-alpha edge of every row and column within 2
 * pixels (one pixel of the original, at the emulator's 2×) of where the original's edge falls
 * in the part the service kept, and no more than 2% of the lines crossing it a different number of times.
 */
const edgeTolerance = { max: 2, mismatched: 0.02 };

async function place(folder: string, name: string, pixels: Pixels): Promise<vscode.Uri> {
  const codecs = await loadCodecs();
  const target = workspaceFile(`${folder}/${name}`);
  await vscode.workspace.fs.createDirectory(workspaceFile(folder));
  await vscode.workspace.fs.writeFile(target, await codecs.encode(pixels, 'png'));
  return target;
}

function assertEdgesMatch(saved: Pixels, truth: Pixels): void {
  assert.deepEqual([saved.width, saved.height], [truth.width, truth.height]);
  const edge = edgeDistance(saved, truth);
  assert.ok(edge.max <= edgeTolerance.max && edge.mismatched <= edge.lines * edgeTolerance.mismatched, `edges off by ${edge.max.toFixed(2)} px at most (${edge.mean.toFixed(2)} on average), ${edge.mismatched} of ${edge.lines} lines differ`);
}

describe('Transparency on a result the service cropped or padded', () => {
  let emulator: Emulator;
  const shapes = transparentShapes(160, 110);

  before(async () => {
    emulator = await startEmulator();
    await activate();
  });

  after(() => emulator.stop());

  it('a transparent PNG cropped to a square by the service is saved with its mask on the shapes', async () => {
    emulator.reset({ key: testKey, flatten: true, crop: 'square' });
    const file = await place('alpha-cropped', 'shapes-cropped.png', shapes);
    const summary = await upscale([file], { params: 'defaults', output: 'nextToOriginal' });
    assert.equal(summary?.jobs[0].state, 'done', summary?.jobs[0].error);
    const saved = await decodeFile(workspaceFile('alpha-cropped/shapes-cropped@upscaled.png'));
    // The emulator doubles (320×220), then keeps the middle 220×220.
    assertEdgesMatch(saved, windowOf(doubleSize(shapes), 50, 0, 220, 220, [0, 0, 0, 0]));
    if (env.canScreenshot) await ui([{ waitFor: `${panel.card('shapes-cropped.png')} .note:has-text("transparency was put back")`, frame: 'panel' }]);
  });

  it('a transparent PNG padded to a square by the service replaces the original with its mask on the shapes, the padding clear', async () => {
    emulator.reset({ key: testKey, flatten: true, pad: 'square' });
    const file = await place('alpha-padded', 'shapes-padded.png', shapes);
    const config = vscode.workspace.getConfiguration('ideogramUpscale');
    await config.update('replaceWhenAspectDiffers', true, vscode.ConfigurationTarget.Global);
    try {
      const summary = await upscale([file], { params: 'defaults', output: 'replace' });
      assert.equal(summary?.jobs[0].replaced, true, summary?.jobs[0].error);
    } finally {
      await config.update('replaceWhenAspectDiffers', undefined, vscode.ConfigurationTarget.Global);
    }
    const replaced = await decodeFile(file);
    // The emulator doubles (320×220), then pads 50 rows of white above and below.
    assertEdgesMatch(replaced, windowOf(doubleSize(shapes), 0, -50, 320, 320, [0, 0, 0, 0]));
    const alpha = alphaOf(replaced);
    assert.ok(alpha.subarray(0, 320 * 48).every((a) => a === 0), 'the padding above is transparent');
    assert.ok(alpha.subarray(320 * 272).every((a) => a === 0), 'the padding below is transparent');
  });

  it('a cropped result that cannot be lined up is saved opaque, and the panel says so', async () => {
    emulator.reset({ key: testKey, flatten: true, crop: 'square' });
    // A green band from top to bottom: the square kept in the middle is green alone.
    const band: Pixels = { width: 160, height: 110, data: new Uint8ClampedArray(160 * 110 * 4) };
    for (let y = 0; y < 110; y++) for (let x = 20; x < 140; x++) band.data.set([90, 160, 90, 255], (y * 160 + x) * 4);
    const file = await place('alpha-unaligned', 'band.png', band);
    const summary = await upscale([file], { params: 'defaults', output: 'nextToOriginal' });
    assert.equal(summary?.jobs[0].state, 'done', summary?.jobs[0].error);
    const saved = await decodeFile(workspaceFile('alpha-unaligned/band@upscaled.png'));
    assert.ok(alphaOf(saved).every((a) => a === 255), 'the copy is opaque, as the service sent it');
    if (env.canScreenshot) await ui([{ waitFor: `${panel.card('band.png')} .note:has-text("could not be lined up")`, frame: 'panel' }]);
  });
});
