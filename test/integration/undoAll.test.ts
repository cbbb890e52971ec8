import * as assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Emulator } from '../emulator/server';
import { env, ui } from '../support/handshake';
import { activate, fixtureCopies, roomForToasts, sha256, startEmulator, testKey, until, upscale } from './helpers';

describe('Undo all of a run\'s replaces', function () {
  let emulator: Emulator;
  const config = () => vscode.workspace.getConfiguration('ideogramUpscale');

  before(async function () {
    if (!env.canScreenshot) this.skip(); // the notification's button, and the reload, are the code-server runner's
    emulator = await startEmulator();
    await activate();
  });

  after(async () => {
    await config().update('output', undefined, vscode.ConfigurationTarget.Global);
    await emulator?.stop();
  });

  it('one notification for the run, "Undo All" restores the others and names the file that changed since', async () => {
    emulator.reset({ key: testKey });
    const { uris, hashes } = await fixtureCopies('undo-some', 3);
    await roomForToasts();
    const summary = await upscale(uris, { params: 'defaults', output: 'replace' });
    assert.deepEqual(summary?.jobs.map((j) => j.replaced), [true, true, true], summary?.jobs.map((j) => j.error).join('; '));
    const toast = '.notification-toast:has-text("Replaced 3 images.")';
    await ui([{ waitFor: toast, timeoutMs: 20_000 }, { countOf: '.notification-toast:has-text("with the upscaled image")', file: 'undo-some-single.txt' }]);
    // Someone edits one of them after the replace.
    const edited = new TextEncoder().encode('edited');
    await writeFile(uris[1].fsPath, edited);
    await ui([{ click: `${toast} .monaco-button:has-text("Undo All")` }, { waitFor: '.notification-toast:has-text("Restored 2 of 3 originals")', timeoutMs: 20_000 }, { textOf: '.notification-toast:has-text("Restored 2 of 3 originals")', file: 'undo-some.txt' }]);
    const { readFile } = await import('node:fs/promises');
    assert.equal(await readFile(join(env.outDir, 'undo-some-single.txt'), 'utf8'), '0', 'no notification per image');
    assert.match(await readFile(join(env.outDir, 'undo-some.txt'), 'utf8'), /undo-some\/1-photo\.jpg/, 'the file left alone is named');
    assert.equal(await sha256(uris[0]), hashes[0]);
    assert.equal(await sha256(uris[2]), hashes[2]);
    assert.deepEqual(new Uint8Array(await readFile(uris[1].fsPath)), edited, 'the edit is kept');
  });

  it('"Replace all" in the panel replaces the last run\'s images as one: one notification, and its "Undo All"', async () => {
    emulator.reset({ key: testKey });
    const { uris, hashes } = await fixtureCopies('replace-all', 3);
    await roomForToasts();
    const summary = await upscale(uris, { params: 'defaults', output: 'ask' });
    assert.deepEqual(summary?.jobs.map((j) => j.state), ['done', 'done', 'done']);
    const button = '#toolbar >> role=button[name="Replace all of the last run (3)"]';
    await ui([{ waitFor: button, frame: 'panel', timeoutMs: 20_000 }, { screenshot: 'panel-replace-all' }, { click: button, frame: 'panel' }]);
    await until('the three are replaced', async () => (await Promise.all(uris.map(sha256))).every((h, i) => h !== hashes[i]));
    const toast = '.notification-toast:has-text("Replaced 3 images.")';
    await ui([{ waitFor: toast, timeoutMs: 20_000 }, { click: `${toast} .monaco-button:has-text("Undo All")` }, { waitFor: '.notification-toast:has-text("Restored 3 originals.")' }]);
    assert.deepEqual(await Promise.all(uris.map(sha256)), hashes);
  });
});
