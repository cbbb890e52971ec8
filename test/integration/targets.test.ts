import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { loadCodecs } from '../../src/core/images/codecs';
import { Emulator } from '../emulator/server';
import { env, ui } from '../support/handshake';
import { edgeDistance, transparentShapes } from '../support/imageFixtures';
import { activate, decodeFile, exists, roomForToasts, sha256, startEmulator, testKey, until, upscale, workspaceFile } from './helpers';

/** Places a copy of a fixture (or given bytes) in the workspace and returns it. */
async function place(path: string, from: string | Uint8Array): Promise<vscode.Uri> {
  const target = workspaceFile(path);
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(target, '..'));
  if (typeof from === 'string') await vscode.workspace.fs.copy(workspaceFile(from), target, { overwrite: true });
  else await vscode.workspace.fs.writeFile(target, from);
  return target;
}

describe('Target sizes and variants', () => {
  let emulator: Emulator;
  const config = () => vscode.workspace.getConfiguration('ideogramUpscale');

  before(async () => {
    emulator = await startEmulator();
    await activate();
  });

  after(async () => {
    await config().update('variants', undefined, vscode.ConfigurationTarget.Global);
    await emulator.stop();
  });

  it('a 3x target upscales twice (the second pass uploads the first one\'s result) and saves the exact size, its transparency kept', async () => {
    // The service returns the picture opaque, as many do: the transparency is the original's, put back.
    emulator.reset({ key: testKey, flatten: true });
    const codecs = await loadCodecs();
    const shapes = transparentShapes(160, 110);
    const file = await place('targets/shapes.png', await codecs.encode(shapes, 'png'));
    const summary = await upscale([file], { params: { target: '3x' }, output: 'nextToOriginal' });
    assert.equal(summary?.jobs[0].state, 'done', summary?.jobs[0].error);
    assert.equal(emulator.stats.submits, 2, 'two uploads: 2x, then 2x of that');
    const saved = await decodeFile(vscode.Uri.parse(summary.jobs[0].saved[0]));
    assert.deepEqual([saved.width, saved.height], [480, 330], 'exactly 3 times 160×110');
    const truth = await codecs.resize(shapes, { width: 480, height: 330 });
    const edge = edgeDistance(saved, truth);
    assert.ok(edge.max <= 3 && edge.mismatched <= edge.lines * 0.02, `the mask lies on the shapes: edges off by ${edge.max.toFixed(2)} px at most, ${edge.mismatched} of ${edge.lines} lines differ`);
  });

  it('a width, and a box to fit within, give exact sizes: one pass where 2x reaches them, two where it does not', async () => {
    emulator.reset({ key: testKey });
    const logo = await place('targets/logo.png', 'assets/logo.png');
    const wide = await upscale([logo], { params: { target: 'width:200' }, output: 'nextToOriginal' });
    assert.equal(wide?.jobs[0].state, 'done', wide?.jobs[0].error);
    assert.equal(emulator.stats.submits, 1);
    const a = await decodeFile(vscode.Uri.parse(wide.jobs[0].saved[0]));
    assert.deepEqual([a.width, a.height], [200, 150], '128×96 at 200 px wide');
    emulator.reset({ key: testKey });
    const photo = await place('targets/photo.jpg', 'assets/photo.jpg');
    const fit = await upscale([photo], { params: { target: 'fit:500x500' }, output: 'nextToOriginal' });
    assert.equal(fit?.jobs[0].state, 'done', fit?.jobs[0].error);
    assert.equal(emulator.stats.submits, 2, '160×120 to fit 500×500 is 3.125x: two passes');
    const b = await decodeFile(vscode.Uri.parse(fit.jobs[0].saved[0]));
    assert.deepEqual([b.format, b.width, b.height], ['jpeg', 500, 375]);
  });

  it('the quick pick\'s last step sets the target: a width in pixels, typed in', async function () {
    if (!env.canScreenshot) this.skip(); // answered as a user answers it
    emulator.reset({ key: testKey });
    const logo = await place('targets/picked.png', 'assets/logo.png');
    const row = (text: string) => `.quick-input-widget .quick-input-list-row:has-text("${text}")`;
    const step = (n: number) => `.quick-input-widget .quick-input-title:has-text("(${n}/8)")`;
    await config().update('output', 'nextToOriginal', vscode.ConfigurationTarget.Global);
    try {
      const command = vscode.commands.executeCommand<{ jobs: { state: string; error?: string; saved: string[] }[] }>('ideogramUpscale.upscale', logo, [logo], undefined);
      await ui([
        { click: row('Customize…') },
        ...[2, 3, 4, 5].flatMap((n) => [{ waitFor: step(n) }, { press: 'Enter' }]),
        // One result: the Customize steps start from the last run's parameters.
        { waitFor: step(6) },
        { fill: '.quick-input-widget .quick-input-box input', value: '1' },
        { press: 'Enter' },
        { waitFor: step(7) },
        { press: 'Enter' },
        { waitFor: step(8) },
        { waitFor: `${row('3x')}:has-text("2 passes, each billed")` },
        { screenshot: 'target-step' },
        { click: row('Width in pixels…') },
        { waitFor: '.quick-input-widget >> text=The width in pixels' },
        { type: '0' },
        { waitFor: '.quick-input-widget >> text=not a target size' },
        { fill: '.quick-input-widget .quick-input-box input', value: '300' },
        { press: 'Enter' },
      ]);
      const summary = await command;
      assert.equal(summary?.jobs[0].state, 'done', summary?.jobs[0].error);
      const saved = await decodeFile(vscode.Uri.parse(summary.jobs[0].saved[0]));
      assert.deepEqual([saved.width, saved.height], [300, 225]);
      assert.equal(emulator.stats.submits, 2, '300 px from 128 is above 2x: two passes');
    } finally {
      await config().update('output', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a target the image already meets is refused before anything is sent', async () => {
    emulator.reset({ key: testKey });
    const logo = await place('targets/small-target.png', 'assets/logo.png');
    const summary = await upscale([logo], { params: { target: 'width:100' }, output: 'nextToOriginal' });
    assert.equal(summary?.jobs[0].state, 'failed');
    assert.match(summary?.jobs[0].error ?? '', /small-target\.png is 128×96 already, not smaller than the target width:100; nothing was sent/);
    assert.equal(emulator.stats.submits, 0);
  });

  it('writes logo@2x.png and logo@3x.png from one upscale; existing ones only after "Overwrite", and Undo Last Replace puts them back', async () => {
    emulator.reset({ key: testKey });
    await config().update('variants', undefined, vscode.ConfigurationTarget.Global);
    const logo = await place('variants/logo.png', 'assets/logo.png');
    const summary = await upscale([logo], { params: { target: 'variants' }, output: 'nextToOriginal' });
    assert.equal(summary?.jobs[0].state, 'done', summary?.jobs[0].error);
    assert.equal(emulator.stats.submits, 2, 'one chain of passes up to 3x serves both');
    const two = workspaceFile('variants/logo@2x.png');
    const three = workspaceFile('variants/logo@3x.png');
    assert.deepEqual(summary.jobs[0].saved.sort(), [two.toString(), three.toString()].sort());
    const [a, b] = [await decodeFile(two), await decodeFile(three)];
    assert.deepEqual([a.format, a.width, a.height, b.format, b.width, b.height], ['png', 256, 192, 'png', 384, 288]);
    assert.ok(a.data.some((v, i) => i % 4 === 3 && v < 255), 'the variant keeps the logo\'s transparency');
    if (!env.canScreenshot) return; // the confirmation is a notification's button
    const before = [await sha256(two), await sha256(three)];
    // The logo redrawn (its colours inverted): its new variants differ from those on disk.
    emulator.reset({ key: testKey });
    const codecs = await loadCodecs();
    const pixels = await decodeFile(logo);
    for (let i = 0; i < pixels.data.length; i += 4) for (let c = 0; c < 3; c++) pixels.data[i + c] = 255 - pixels.data[i + c];
    await vscode.workspace.fs.writeFile(logo, await codecs.encode(pixels, 'png'));
    await roomForToasts(); // the question must come as a toast
    const again = await upscale([logo], { params: { target: 'variants' }, output: 'nextToOriginal' });
    assert.equal(again?.jobs[0].state, 'done', again?.jobs[0].error);
    assert.deepEqual([await sha256(two), await sha256(three)], before, 'nothing is overwritten before the user says so');
    const toast = '.notification-toast:has-text("2 variants exist already")';
    await ui([{ waitFor: toast, timeoutMs: 20_000 }, { click: `${toast} .monaco-button:has-text("Overwrite")` }]);
    await until('both variants are overwritten', async () => (await sha256(two)) !== before[0] && (await sha256(three)) !== before[1]);
    assert.deepEqual([(await decodeFile(three)).width, (await decodeFile(three)).height], [384, 288]);
    await vscode.commands.executeCommand('ideogramUpscale.undoReplace');
    assert.deepEqual([await sha256(two), await sha256(three)], before, 'one undo put both back, byte for byte');
  });

  it('writes Android densities into the sibling folders of drawable-mdpi', async () => {
    emulator.reset({ key: testKey });
    const densities = { hdpi: 1.5, xhdpi: 2, xxhdpi: 3, xxxhdpi: 4 };
    await config().update('variants', Object.entries(densities).map(([d, scale]) => ({ pattern: `../drawable-${d}/{name}.{ext}`, scale })), vscode.ConfigurationTarget.Global);
    const icon = await place('android/res/drawable-mdpi/ic_photo.jpg', 'assets/photo.jpg');
    const summary = await upscale([icon], { params: { target: 'variants' }, output: 'nextToOriginal' });
    assert.equal(summary?.jobs[0].state, 'done', summary?.jobs[0].error);
    assert.equal(emulator.stats.submits, 2, 'two passes reach 4x');
    for (const [density, scale] of Object.entries(densities)) {
      const file = workspaceFile(`android/res/drawable-${density}/ic_photo.jpg`);
      assert.ok(await exists(file), `drawable-${density}/ic_photo.jpg is written`);
      const image = await decodeFile(file);
      assert.deepEqual([image.format, image.width, image.height], ['jpeg', 160 * scale, 120 * scale], density);
    }
  });
});
