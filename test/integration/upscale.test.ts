import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Emulator } from '../emulator/server';
import { readdir } from 'node:fs/promises';
import { env, screenshot, ui } from '../support/handshake';
import { activate, decodeFile, resultsPanelTabs, startEmulator, testKey, until, upscale, workspaceFile } from './helpers';

describe('Upscale and save next to the original, in real VS Code', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator();
    await activate();
  });

  after(async () => {
    await emulator.stop();
  });

  it('stores the API key through the command', async () => {
    const stored = await vscode.commands.executeCommand<boolean>('ideogramUpscale.setApiKey', testKey);
    assert.equal(stored, true);
  });

  async function upscaleOne(relative: string): Promise<vscode.Uri> {
    const summary = await upscale([workspaceFile(relative)], { params: 'defaults', output: 'nextToOriginal' });
    assert.ok(summary, 'the command reports what it did');
    assert.equal(summary.jobs.length, 1);
    assert.equal(summary.jobs[0].error, undefined);
    assert.equal(summary.jobs[0].state, 'done');
    assert.equal(summary.jobs[0].saved.length, 1);
    return vscode.Uri.parse(summary.jobs[0].saved[0]);
  }

  it('upscales a PNG and saves logo@upscaled.png at twice the size (synchronous answer)', async () => {
    emulator.reset({ key: testKey, shape: 'sync' });
    const saved = await upscaleOne('assets/logo.png');
    assert.equal(saved.path, workspaceFile('assets/logo@upscaled.png').path);
    const source = await decodeFile(workspaceFile('assets/logo.png'));
    const result = await decodeFile(saved);
    assert.equal(result.format, 'png');
    assert.deepEqual([result.width, result.height], [source.width * 2, source.height * 2]);
    assert.equal(emulator.stats.lastHeaders.authorization, `Bearer ${testKey}`, 'the key from SecretStorage was sent as a Bearer token');
    assert.equal(emulator.stats.submits, 1);
  });

  it('upscales a JPEG through a task that must be polled, and saves photo@upscaled.jpg', async () => {
    emulator.reset({ key: testKey, shape: 'task', taskMs: 1500 });
    const saved = await upscaleOne('assets/photo.jpg');
    assert.equal(saved.path, workspaceFile('assets/photo@upscaled.jpg').path);
    const source = await decodeFile(workspaceFile('assets/photo.jpg'));
    const result = await decodeFile(saved);
    assert.equal(result.format, 'jpeg');
    assert.deepEqual([result.width, result.height], [source.width * 2, source.height * 2]);
    assert.ok(emulator.stats.taskQueries >= 1, 'the task was polled');
    assert.equal(emulator.stats.submits, 1, 'the upload was sent once');
  });

  it('shows the results panel', async () => {
    assert.equal(resultsPanelTabs().length, 1, 'one results panel is open');
    await new Promise((r) => setTimeout(r, 1500)); // let the webview paint the images
    await screenshot('panel-result');
  });

  it('keeps an earlier result: a second run saves logo@upscaled-2.png', async () => {
    emulator.reset({ key: testKey, shape: 'wrapped' });
    const saved = await upscaleOne('assets/logo.png');
    assert.equal(saved.path, workspaceFile('assets/logo@upscaled-2.png').path);
    const first = await decodeFile(workspaceFile('assets/logo@upscaled.png'));
    assert.equal(first.width, 256, 'the first result is untouched');
  });

  it('runs from a keybinding whose args are the options: asks which images, then no parameter steps', async function () {
    // The test VS Code's user binds ctrl+alt+u to the command with { params: 'defaults', output: 'nextToOriginal' } (test/runners/workbench.ts).
    if (!env.canScreenshot) this.skip();
    emulator.reset({ key: testKey, shape: 'sync' });
    const assets = workspaceFile('assets');
    const copies = async () => (await readdir(assets.fsPath)).filter((f) => /^banner@upscaled(-\d+)?\.webp$/.test(f)).length;
    const before = await copies();
    await ui([
      { press: 'Control+Alt+U' },
      { waitFor: '.quick-input-widget .quick-input-list-row:has-text("banner.webp")' },
      { click: '.quick-input-widget .quick-input-list-row:has-text("banner.webp")' },
      { press: 'Enter' },
    ]);
    await until('a copy of banner.webp is saved', async () => (await copies()) === before + 1);
    assert.equal(emulator.stats.submits, 1, 'one upload, with no parameter quick pick in between');
  });
});
