import * as assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { loadCodecs } from '../../src/core/images/codecs';
import { readSize } from '../../src/core/images/format';
import { readExifOrientation, readExifTags } from '../../src/core/images/exif';
import { readJpegIcc } from '../../src/core/images/jpeg';
import { readPngColorChunks, readPngExif } from '../../src/core/images/png';
import { readWebpExif, readWebpIcc } from '../../src/core/images/webp';
import { Emulator } from '../emulator/server';
import { env, screenshot, ui } from '../support/handshake';
import { alphaOf, bilinearAlpha, difference, exifSegment, fakeIcc, iccpChunk, iccSegments, jpegWith, pngWith, rawPngChunk, webpWith } from '../support/imageFixtures';
import { activate, decodeFile, exists, panel, startEmulator, testKey, until, upscale, workspaceFile } from './helpers';

/**
 * The alpha of a result compared with the original's alpha scaled to the result's size (bilinear,
 * an independent reference). Tolerance: a mean difference of at most 3 and no pixel off by more
 * than 48 of 255 (edges of anti-aliased shapes resample differently under other filters).
 */
const alphaTolerance = { mean: 3, max: 48 };

async function place(name: string, folder: string, bytes?: Uint8Array): Promise<vscode.Uri> {
  const target = workspaceFile(`${folder}/${name}`);
  await vscode.workspace.fs.createDirectory(workspaceFile(folder));
  if (bytes) await vscode.workspace.fs.writeFile(target, bytes);
  else await vscode.workspace.fs.copy(workspaceFile(`assets/${name}`), target, { overwrite: true });
  return target;
}

describe('Asset-safe results: transparency, proportions and colour survive Replace', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator();
    await activate();
  });

  after(() => emulator.stop());

  async function checkTransparencyKept(file: vscode.Uri, format: 'png' | 'webp'): Promise<void> {
    const source = await decodeFile(file);
    emulator.reset({ key: testKey, flatten: true });
    const summary = await upscale([file], { params: 'defaults', output: 'replace' });
    assert.equal(summary?.jobs[0].state, 'done');
    assert.equal(summary?.jobs[0].replaced, true, summary?.jobs[0].error);
    const replaced = await decodeFile(file);
    assert.equal(replaced.format, format);
    assert.deepEqual([replaced.width, replaced.height], [source.width * 2, source.height * 2]);
    const diff = difference(alphaOf(replaced), bilinearAlpha(source, replaced.width, replaced.height));
    assert.ok(diff.mean <= alphaTolerance.mean && diff.max <= alphaTolerance.max, `alpha differs: mean ${diff.mean.toFixed(2)}, max ${diff.max}`);
    // The service really did flatten it: its result is opaque.
    assert.ok(emulator.stats.downloads >= 1);
  }

  it('a transparent PNG keeps its transparency after Replace, and the panel says it was put back', async () => {
    const logo = await place('logo.png', 'alpha-png');
    await checkTransparencyKept(logo, 'png');
    if (env.canScreenshot) await ui([{ waitFor: `${panel.card('logo.png')} .note:has-text("transparency was put back")`, frame: 'panel' }]);
  });

  it('a transparent WebP keeps its transparency after Replace', async () => {
    const codecs = await loadCodecs();
    const logo = await codecs.decode(new Uint8Array(await readFile(workspaceFile('assets/logo.png').fsPath)));
    const webp = await place('logo.webp', 'alpha-webp', await codecs.encode(logo, 'webp', { quality: 100 }));
    await checkTransparencyKept(webp, 'webp');
  });

  it('refuses Replace when the service cropped the image, shows both outlines, and still saves a copy', async () => {
    emulator.reset({ key: testKey, crop: 'square' });
    const photo = await place('photo.jpg', 'cropped');
    const before = await readFile(photo.fsPath);
    const summary = await upscale([photo], { params: 'defaults', output: 'replace' });
    assert.equal(summary?.jobs[0].state, 'done');
    assert.equal(summary?.jobs[0].replaced, false);
    assert.match(summary?.jobs[0].error ?? '', /cropped or padded photo\.jpg \(from 160×120 to 240×240\): its proportions changed/);
    assert.deepEqual(await readFile(photo.fsPath), before, 'the original is untouched');
    if (env.canScreenshot) {
      await ui([
        { waitFor: `${panel.card('photo.jpg')} .outline-original`, frame: 'panel' },
        { waitFor: `${panel.card('photo.jpg')} .from:has-text("from 160×120 to 240×240")`, frame: 'panel' },
        { sleep: 500 },
      ]);
      await screenshot('panel-aspect-mismatch');
      await ui([{ click: panel.button('photo.jpg', 'Save next to original'), frame: 'panel' }]);
      const copy = workspaceFile('cropped/photo@upscaled.jpg');
      const end = Date.now() + 10_000;
      while (!(await vscode.workspace.fs.stat(copy).then(() => true, () => false)) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(readSize(await readFile(copy.fsPath)), { width: 240, height: 240 });
    }
  });

  it('shows "from W×H to W×H" with the factor for every result', async function () {
    if (!env.canScreenshot) this.skip();
    emulator.reset({ key: testKey });
    const banner = await place('banner.webp', 'factor');
    await upscale([banner], { params: 'defaults', output: 'ask' });
    await ui([{ waitFor: `${panel.card('banner.webp')} .from:has-text("from 200×60 to 400×120 (2×)")`, frame: 'panel' }]);
  });

  it('a PNG keeps its ICC profile through Replace', async () => {
    emulator.reset({ key: testKey });
    const icc = fakeIcc(600);
    const source = pngWith(new Uint8Array(await readFile(workspaceFile('assets/logo.png').fsPath)), iccpChunk(icc));
    const file = await place('logo.png', 'icc-png', source);
    const summary = await upscale([file], { params: 'defaults', output: 'replace' });
    assert.equal(summary?.jobs[0].replaced, true, summary?.jobs[0].error);
    const replaced = new Uint8Array(await readFile(file.fsPath));
    assert.deepEqual(readPngColorChunks(replaced).map((c) => Buffer.from(c)), readPngColorChunks(source).map((c) => Buffer.from(c)));
    assert.equal((await decodeFile(file)).width, 256);
  });

  it('a JPEG keeps its ICC profile and EXIF orientation through Replace, and loses its GPS position', async () => {
    emulator.reset({ key: testKey });
    const icc = fakeIcc(900);
    const source = jpegWith(new Uint8Array(await readFile(workspaceFile('assets/photo.jpg').fsPath)), exifSegment(6, false), ...iccSegments(icc, 1));
    assert.ok(readExifTags(source)?.includes(0x8825), 'the source has a GPS position');
    const file = await place('photo.jpg', 'exif-jpeg', source);
    const summary = await upscale([file], { params: 'defaults', output: 'replace' });
    assert.equal(summary?.jobs[0].replaced, true, summary?.jobs[0].error);
    const replaced = new Uint8Array(await readFile(file.fsPath));
    assert.equal(readExifOrientation(replaced), 6);
    assert.ok(!readExifTags(replaced)?.includes(0x8825), 'no GPS position');
    assert.deepEqual(readJpegIcc(replaced).map((c) => Buffer.from(c)), readJpegIcc(source).map((c) => Buffer.from(c)));
    assert.deepEqual(readSize(replaced), { width: 320, height: 240 });
    await writeFile(`${env.outDir}/replaced-with-exif.jpg`, replaced);
  });

  it('a PNG\'s eXIf orientation survives Save next to original, without its GPS position', async () => {
    emulator.reset({ key: testKey });
    const source = pngWith(new Uint8Array(await readFile(workspaceFile('assets/logo.png').fsPath)), rawPngChunk('eXIf', exifSegment(6, false).subarray(10)));
    const file = await place('turned.png', 'exif-png', source);
    const summary = await upscale([file], { params: 'defaults', output: 'nextToOriginal' });
    assert.equal(summary?.jobs[0].saved.length, 1, summary?.jobs[0].error);
    const saved = new Uint8Array(await readFile(vscode.Uri.parse(summary!.jobs[0].saved[0]).fsPath));
    assert.equal(readExifOrientation(readPngExif(saved)!), 6);
    assert.ok(!readExifTags(readPngExif(saved)!)?.includes(0x8825), 'no GPS position');
  });

  it('a WebP keeps its ICC profile and EXIF orientation through Replace', async () => {
    emulator.reset({ key: testKey });
    const icc = fakeIcc(400);
    const source = webpWith(new Uint8Array(await readFile(workspaceFile('assets/banner.webp').fsPath)), { ICCP: icc, EXIF: exifSegment(8, true).subarray(10) });
    const file = await place('turned.webp', 'exif-webp', source);
    const summary = await upscale([file], { params: 'defaults', output: 'replace' });
    assert.equal(summary?.jobs[0].replaced, true, summary?.jobs[0].error);
    const replaced = new Uint8Array(await readFile(file.fsPath));
    assert.equal(readExifOrientation(readWebpExif(replaced)!), 8);
    assert.deepEqual(Buffer.from(readWebpIcc(replaced)!), Buffer.from(icc));
  });

  it('Save as… keeps the colour profile and the orientation, as the other saves do', async function () {
    if (!env.canScreenshot) this.skip(); // the save dialog is answered as a user answers it
    emulator.reset({ key: testKey });
    const source = pngWith(new Uint8Array(await readFile(workspaceFile('assets/logo.png').fsPath)), iccpChunk(fakeIcc(700)), rawPngChunk('eXIf', exifSegment(3, true).subarray(10)));
    const file = await place('profiled.png', 'icc-save-as', source);
    const summary = await upscale([file], { params: 'defaults', output: 'ask' });
    assert.equal(summary?.jobs[0].state, 'done', summary?.jobs[0].error);
    const target = workspaceFile('icc-save-as/chosen.png');
    const input = '.quick-input-widget .quick-input-box input';
    await ui([
      { click: panel.button('profiled.png', 'Save as…'), frame: 'panel' },
      { waitFor: input },
      // The dialog fills in its own default name a moment after it opens, and completes what is typed.
      { sleep: 500 },
      { fill: input, value: target.fsPath },
      { sleep: 500 },
      { screenshot: 'save-as-profiled-filled' },
      { press: 'Enter' },
    ]);
    await until('the copy is where the user said', () => exists(target));
    const saved = new Uint8Array(await readFile(target.fsPath));
    assert.deepEqual(readPngColorChunks(saved).map((c) => Buffer.from(c)), readPngColorChunks(source).map((c) => Buffer.from(c)));
    assert.equal(readExifOrientation(readPngExif(saved)!), 3);
    assert.equal((await decodeFile(target)).width, 256);
  });

  it('shows several results as a grid, each with its seed, and Replace acts on the one chosen', async function () {
    if (!env.canScreenshot) this.skip();
    emulator.reset({ key: testKey });
    const banner = await place('banner.webp', 'grid');
    const summary = await upscale([banner], { params: { numImages: 3, seed: 500 }, output: 'ask' });
    assert.equal(summary?.jobs[0].state, 'done');
    await ui([
      { waitFor: `${panel.card('banner.webp')} >> role=button[name="Seed 502"]`, frame: 'panel' },
      { click: `${panel.card('banner.webp')} >> role=button[name="Seed 502"]`, frame: 'panel' },
      { sleep: 300 },
      { screenshot: 'panel-grid' },
      { click: panel.button('banner.webp', 'Replace original'), frame: 'panel' },
      { waitFor: `${panel.card('banner.webp')} .replaced-note`, frame: 'panel' },
    ]);
    // The notification of the replace would cover the card in the picture of this state.
    await vscode.commands.executeCommand('notifications.clearAll');
    await ui([{ sleep: 300 }, { screenshot: 'panel-replaced' }]);
    // The third result (seed 502, which the emulator made 80 levels redder) now stands in the original's place.
    const replaced = await decodeFile(workspaceFile('grid/banner.webp'));
    assert.deepEqual([replaced.width, replaced.height], [400, 120]);
    const source = await decodeFile(workspaceFile('assets/banner.webp'));
    const meanRed = (p: { data: Uint8ClampedArray }) => p.data.filter((_, i) => i % 4 === 0).reduce((a, b) => a + b, 0) / (p.data.length / 4);
    assert.ok(meanRed(replaced) - meanRed(source) > 50, `red ${meanRed(replaced).toFixed(1)} vs ${meanRed(source).toFixed(1)}`);
    assert.equal(emulator.stats.lastImageRequest?.num_images, 3);
  });
});
