import * as assert from 'node:assert/strict';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { UpscaleSummary } from '../../src/commands/upscale';
import type { IdeogramUpscaleApi } from '../../src/extension';
import { Emulator } from '../emulator/server';
import { env, screenshot, ui } from '../support/handshake';
import { activate, decodeFile, exists, extensionId, panel, resultsPanelTabs, sha256, startEmulator, testKey, until, upscale, workspaceFile } from './helpers';

/** Each test works on its own copies of the fixtures, so the order of tests does not matter. */
async function copyFixture(name: string, folder: string): Promise<vscode.Uri> {
  const target = workspaceFile(`${folder}/${name}`);
  await vscode.workspace.fs.copy(workspaceFile(`assets/${name}`), target, { overwrite: true });
  return target;
}

function runCommand(uri: vscode.Uri): Thenable<UpscaleSummary | undefined> {
  return vscode.commands.executeCommand<UpscaleSummary | undefined>('ideogramUpscale.upscale', uri, [uri]);
}

describe('The upscale experience, driven as a user drives it', function () {
  let emulator: Emulator;

  before(async function () {
    if (!env.canScreenshot) this.skip(); // needs the browser runner for real input
    emulator = await startEmulator();
    await activate();
    await vscode.workspace.getConfiguration('ideogramUpscale').update('output', 'ask', vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await emulator?.stop();
  });

  it('offers "Upscale with Ideogram…" on an image in the explorer, and Enter takes the defaults', async () => {
    emulator.reset({ key: testKey });
    const logo = await copyFixture('logo.png', 'menu');
    await vscode.commands.executeCommand('revealInExplorer', logo);
    await ui([
      { click: '.explorer-folders-view .monaco-list-row[aria-label^="logo.png"]', button: 'right' },
      { waitFor: '.context-view .action-label:has-text("Upscale with Ideogram…")' },
      { screenshot: 'explorer-context-menu' },
      { click: '.context-view .action-label:has-text("Upscale with Ideogram…")' },
      { waitFor: '.quick-input-widget .quick-input-list-row:has-text("Settings\' defaults")' },
      { screenshot: 'quick-pick' },
      { press: 'Enter' },
    ]);
    // The emulator notes the parameters once it has read the whole upload.
    await until('the service has read the upload', () => emulator.stats.lastImageRequest !== undefined);
    assert.equal(emulator.stats.submits, 1);
    assert.deepEqual(emulator.stats.lastImageRequest, { resemblance: 50, detail: 50, magic_prompt_option: 'AUTO', num_images: 1 });
    await ui([{ waitFor: `${panel.card('logo.png')}.state-done`, frame: 'panel', timeoutMs: 30_000 }]);
  });

  it('customizes every parameter through the steps, refusing out-of-range values inline and going back', async () => {
    emulator.reset({ key: testKey });
    const photo = await copyFixture('photo.jpg', 'custom');
    const command = runCommand(photo);
    const row = (text: string) => `.quick-input-widget .quick-input-list-row:has-text("${text}")`;
    const box = '.quick-input-widget .quick-input-box input';
    const step = (n: number) => `.quick-input-widget .quick-input-title:has-text("(${n}/8)")`;
    await ui([
      { waitFor: row('Customize…') },
      { click: row('Customize…') },
      { waitFor: step(2) },
      { type: 'sharper edges' },
      { press: 'Enter' },
      { waitFor: step(3) },
      { fill: box, value: '150' },
      { waitFor: '.quick-input-widget >> text=Enter a whole number from 1 to 100.' },
      { screenshot: 'quick-pick-out-of-range' },
      { press: 'Enter' }, // refused inline: still on step 3
      { sleep: 300 },
      { waitFor: step(3) },
      { fill: box, value: '80' },
      { press: 'Enter' },
      { waitFor: step(4) },
      { click: '.quick-input-widget .quick-input-left-action-bar .action-label' }, // the back button
      { waitFor: step(3) },
      { press: 'Enter' },
      { waitFor: step(4) },
      { fill: box, value: '70' },
      { press: 'Enter' },
      { waitFor: step(5) },
      { click: row('Off') },
      { waitFor: step(6) },
      { fill: box, value: '2' },
      { press: 'Enter' },
      { waitFor: step(7) },
      { fill: box, value: '1234' },
      { press: 'Enter' },
      { waitFor: step(8) },
      { waitFor: '.quick-input-widget .quick-input-list .monaco-list-row.focused:has-text("2x")' }, // the target: Enter keeps today's 2x
      { press: 'Enter' },
    ]);
    const summary = await command;
    assert.equal(summary?.jobs[0].state, 'done');
    assert.deepEqual(emulator.stats.lastImageRequest, { prompt: 'sharper edges', resemblance: 80, detail: 70, magic_prompt_option: 'OFF', num_images: 2, seed: 1234 });
  });

  it('runs with "Same as last time" from the options argument, with no quick pick', async () => {
    emulator.reset({ key: testKey });
    const summary = await upscale([await copyFixture('banner.webp', 'same')], { params: 'last', output: 'nextToOriginal' });
    assert.equal(summary?.jobs[0].state, 'done');
    assert.equal(emulator.stats.lastImageRequest?.seed, 1234);
    assert.equal(emulator.stats.lastImageRequest?.prompt, 'sharper edges');
  });

  it('upscales a batch in which one image fails, and the others are saved', async () => {
    emulator.reset({ key: testKey, shape: 'task', taskMs: 300, refuseFiles: { 'photo.jpg': { status: 422, body: { error: 'Image failed safety check' } } } });
    const files = [await copyFixture('logo.png', 'batch'), await copyFixture('photo.jpg', 'batch'), await copyFixture('banner.webp', 'batch')];
    const summary = await upscale(files, { params: 'defaults', output: 'nextToOriginal' });
    assert.ok(summary);
    assert.deepEqual(summary.jobs.map((j) => j.state), ['done', 'failed', 'done']);
    assert.match(summary.jobs[1].error ?? '', /safety/);
    assert.ok(await exists(workspaceFile('batch/logo@upscaled.png')));
    assert.ok(await exists(workspaceFile('batch/banner@upscaled.webp')));
    assert.ok(!(await exists(workspaceFile('batch/photo@upscaled.jpg'))), 'nothing is written for the failed image');
    assert.equal(emulator.stats.submits, 3, 'each image was uploaded once');
  });

  it('cancels a whole batch from the notification: nothing is saved', async () => {
    emulator.reset({ key: testKey, shape: 'task', taskMs: 120_000 });
    const files = [await copyFixture('logo.png', 'cancel'), await copyFixture('photo.jpg', 'cancel')];
    const command = upscale(files, { params: 'defaults', output: 'nextToOriginal' });
    await until('both uploads reached the service', () => emulator.stats.submits === 2);
    await ui([
      // The status bar shows the running jobs and opens the panel.
      { waitFor: '.statusbar-item:has-text("Upscaling 2")' },
      { click: '.statusbar-item:has-text("Upscaling 2")' },
      { waitFor: '.notification-toast:has-text("Upscaling 2 images") .monaco-button:has-text("Cancel")' },
      { screenshot: 'status-bar-running' },
      { click: '.notification-toast:has-text("Upscaling 2 images") .monaco-button:has-text("Cancel")' },
    ]);
    const summary = await command;
    assert.deepEqual(summary?.jobs.map((j) => j.state), ['cancelled', 'cancelled']);
    assert.ok(!(await exists(workspaceFile('cancel/logo@upscaled.png'))));
    assert.ok(!(await exists(workspaceFile('cancel/photo@upscaled.jpg'))));
  });

  it('cancels one job from the panel while the other goes on', async () => {
    emulator.reset({ key: testKey, shape: 'task', taskMs: 4000 });
    const files = [await copyFixture('logo.png', 'cancel-one'), await copyFixture('banner.webp', 'cancel-one')];
    const command = upscale(files, { params: 'defaults', output: 'nextToOriginal' });
    await until('both uploads reached the service', () => emulator.stats.submits === 2);
    await ui([{ click: panel.button('logo.png', 'Cancel'), frame: 'panel' }]);
    const summary = await command;
    assert.deepEqual(summary?.jobs.map((j) => j.state), ['cancelled', 'done']);
    assert.ok(await exists(workspaceFile('cancel-one/banner@upscaled.webp')));
  });

  describe('actions on a result in the panel', () => {
    let logo: vscode.Uri;
    let original: string;

    before(async () => {
      emulator.reset({ key: testKey });
      logo = await copyFixture('logo.png', 'actions');
      original = await sha256(logo);
      const summary = await upscale([logo], { params: { seed: 4242 } });
      assert.equal(summary?.jobs[0].state, 'done');
      assert.deepEqual(summary?.jobs[0].saved, [], 'with output "ask" nothing is written before the user chooses');
    });

    it('shows the before/after comparison', async () => {
      await ui([{ waitFor: `${panel.card('logo.png')}.state-done`, frame: 'panel' }, { sleep: 800 }, { screenshot: 'panel-comparison' }]);
    });

    it('Save next to original writes a copy and leaves the original alone', async () => {
      await ui([{ click: panel.button('logo.png', 'Save next to original'), frame: 'panel' }]);
      const copy = workspaceFile('actions/logo@upscaled.png');
      await until('the copy exists', () => exists(copy));
      assert.equal((await decodeFile(copy)).width, 256);
      assert.equal(await sha256(logo), original);
    });

    it('Replace original writes the upscaled PNG in place, and Undo restores it byte for byte', async () => {
      await ui([{ click: panel.button('logo.png', 'Replace original'), frame: 'panel' }]);
      await until('the original is replaced', async () => (await sha256(logo)) !== original);
      const replaced = await decodeFile(logo);
      assert.equal(replaced.format, 'png');
      assert.deepEqual([replaced.width, replaced.height], [256, 192]);
      await ui([{ click: panel.button('logo.png', 'Undo replace'), frame: 'panel' }]);
      await until('the original is back', async () => (await sha256(logo)) === original);
    });

    it('Undo is also offered in the notification that reports the replace', async () => {
      await ui([{ click: panel.button('logo.png', 'Replace original'), frame: 'panel' }]);
      await until('the original is replaced', async () => (await sha256(logo)) !== original);
      await ui([{ click: '.notification-toast:has-text("with the upscaled image") .monaco-button:has-text("Undo")' }]);
      await until('the original is back', async () => (await sha256(logo)) === original);
    });

    it('Undo is also a command', async () => {
      await ui([{ click: panel.button('logo.png', 'Replace original'), frame: 'panel' }]);
      await until('the original is replaced', async () => (await sha256(logo)) !== original);
      await vscode.commands.executeCommand('ideogramUpscale.undoReplace');
      assert.equal(await sha256(logo), original);
    });

    it('Open shows the result in an editor', async () => {
      await ui([{ click: panel.button('logo.png', 'Open'), frame: 'panel' }]);
      await until('an editor shows logo@upscaled.png', () => {
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input as { uri?: vscode.Uri } | undefined;
        return input?.uri?.path.endsWith('/actions/logo@upscaled.png') ?? false;
      });
    });

    it('Reveal in Explorer selects the saved copy in the explorer', async () => {
      await ui([{ click: panel.button('logo.png', 'Reveal in Explorer'), frame: 'panel' }, { waitFor: '.explorer-folders-view .monaco-list-row.selected[aria-label^="logo@upscaled.png"]' }]);
    });

    it('Save as… writes where the user says', async () => {
      await ui([
        { click: panel.button('logo.png', 'Save as…'), frame: 'panel' },
        { waitFor: '.quick-input-widget .quick-input-box input' },
        { screenshot: 'save-as-dialog' },
        { fill: '.quick-input-widget .quick-input-box input', value: workspaceFile('actions/chosen-name.png').fsPath },
        { screenshot: 'save-as-filled' },
        { press: 'Enter' },
        { sleep: 500 },
        { screenshot: 'save-as-after' },
      ]);
      await until('the file exists where chosen', () => exists(workspaceFile('actions/chosen-name.png')));
      assert.equal((await decodeFile(workspaceFile('actions/chosen-name.png'))).width, 256);
    });

    it('Run again sends the same parameters with the result\'s seed', async () => {
      emulator.reset({ key: testKey });
      await ui([{ click: panel.button('logo.png', 'Run again'), frame: 'panel' }]);
      await until('the service has read a second upload', () => emulator.stats.lastImageRequest !== undefined);
      assert.equal(emulator.stats.submits, 1);
      assert.equal(emulator.stats.lastImageRequest?.seed, 4242);
    });

    it('refuses to replace an original that changed on disk since it was sent', async () => {
      emulator.reset({ key: testKey });
      const photo = await copyFixture('photo.jpg', 'changed');
      const summary = await upscale([photo], { params: 'defaults' });
      assert.equal(summary?.jobs[0].state, 'done');
      const edited = new Uint8Array([...(await vscode.workspace.fs.readFile(photo)), 0]);
      await vscode.workspace.fs.writeFile(photo, edited);
      const before = await sha256(photo);
      await ui([
        { click: panel.button('photo.jpg', 'Replace original'), frame: 'panel' },
        { waitFor: `${panel.card('photo.jpg')} [role=alert]:has-text("changed on disk since it was upscaled")`, frame: 'panel' },
      ]);
      assert.equal(await sha256(photo), before, 'the edited file is untouched');
    });
  });

  describe('Replace keeps the path and the format', () => {
    for (const [name, format] of [['logo.png', 'png'], ['photo.jpg', 'jpeg'], ['banner.webp', 'webp']] as const) {
      it(`${name} stays a ${format.toUpperCase()} even when the service answers with another format`, async () => {
        emulator.reset({ key: testKey, resultFormat: format === 'png' ? 'jpeg' : 'png' });
        const file = await copyFixture(name, `format-${format}`);
        const source = await decodeFile(file);
        const summary = await upscale([file], { params: 'defaults', output: 'replace' });
        assert.equal(summary?.jobs[0].state, 'done');
        assert.equal(summary?.jobs[0].replaced, true);
        const replaced = await decodeFile(file);
        assert.equal(replaced.format, format);
        assert.deepEqual([replaced.width, replaced.height], [source.width * 2, source.height * 2]);
      });
    }

    it('keeps the original\'s dimensions when asked', async () => {
      emulator.reset({ key: testKey });
      await vscode.workspace.getConfiguration('ideogramUpscale').update('keepOriginalSize', true, vscode.ConfigurationTarget.Global);
      try {
        const file = await copyFixture('photo.jpg', 'keep-size');
        const summary = await upscale([file], { params: 'defaults', output: 'replace' });
        assert.equal(summary?.jobs[0].replaced, true);
        const replaced = await decodeFile(file);
        assert.deepEqual([replaced.format, replaced.width, replaced.height], ['jpeg', 160, 120]);
      } finally {
        await vscode.workspace.getConfiguration('ideogramUpscale').update('keepOriginalSize', undefined, vscode.ConfigurationTarget.Global);
      }
    });
  });

  it('loads the panel\'s page again when it stayed blank (its script did not load)', async () => {
    const extension = vscode.extensions.getExtension<IdeogramUpscaleApi>(extensionId);
    assert.ok(extension);
    const script = join(extension.extensionPath, 'dist', 'panel.js');
    const traffic = extension.exports.countPanelTraffic();
    const messages = () => traffic.panelMessages;
    await vscode.window.tabGroups.close(resultsPanelTabs());
    const before = messages();
    await rename(script, `${script}.held`);
    try {
      await vscode.commands.executeCommand('ideogramUpscale.showResults');
      await new Promise((r) => setTimeout(r, 2000));
      // A page that starts asks for the jobs at once; this one could not.
      assert.equal(messages(), before, 'without its script the page does not start');
      await screenshot('panel-blank');
    } finally {
      await rename(`${script}.held`, script);
    }
    await until('the page started', () => messages() > before, 30_000);
    // Its cards, or the hint shown when there are none yet.
    await ui([{ waitFor: 'main#app > *', frame: 'panel' }]);
  });

  it('leaves the panel with results for the reload check', async () => {
    await screenshot('panel-before-reload');
  });
});
