import * as assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Emulator } from '../emulator/server';
import { env, ui } from '../support/handshake';
import { undoAllRun } from '../support/undoAllRun';
import { activate, fixtureCopies, sha256, startEmulator, testKey, until, workspaceFile } from './helpers';

/**
 * What the reload phase checks, left at the end of phase 1 (index.ts runs `*.last.test.ts` after
 * every other file, in name order: windowCloses.last.test.ts, whose run of 200 images the reload
 * must cut midway, comes after this), so that no later test replaces another file or chooses
 * other parameters before the window reloads.
 */
describe('Left for the reload', function () {
  let emulator: Emulator;
  const config = () => vscode.workspace.getConfiguration('ideogramUpscale');

  before(async function () {
    if (!env.canScreenshot) this.skip(); // the quick pick, the notification and the reload are the code-server runner's
    emulator = await startEmulator();
    await activate();
  });

  after(async () => {
    await config().update('output', undefined, vscode.ConfigurationTarget.Global);
    await emulator?.stop();
  });

  it('a folder run that replaces 10 images ends with "Replaced 10 images", left for Undo Last Replace after the reload', async () => {
    emulator.reset({ key: testKey });
    await config().update('output', 'replace', vscode.ConfigurationTarget.Global);
    const { uris, hashes } = await fixtureCopies(undoAllRun.folder, undoAllRun.count);
    const plan = '.quick-input-widget .quick-input-title';
    const run = vscode.commands.executeCommand('ideogramUpscale.upscaleFolder', workspaceFile(undoAllRun.folder));
    await ui([
      { waitFor: `${plan}:has-text("10 of 10 images")`, timeoutMs: 20_000 },
      { click: '.quick-input-widget .monaco-button:has-text("OK")' },
      { waitFor: '.quick-input-widget .quick-input-list-row:has-text("Settings\' defaults")' },
      { click: '.quick-input-widget .quick-input-list-row:has-text("Settings\' defaults")' },
    ]);
    await run;
    await until('all 10 are replaced', async () => (await Promise.all(uris.map(sha256))).every((h, i) => h !== hashes[i]), 60_000);
    await ui([{ waitFor: '.notification-toast:has-text("Replaced 10 images.") .monaco-button:has-text("Undo All")', timeoutMs: 20_000 }]);
    await writeFile(join(env.outDir, undoAllRun.file), JSON.stringify({ files: uris.map((u) => u.toString()), hashes }));
  });

  it('the last parameters chosen in the quick pick, for "Same as last time" after the reload', async () => {
    emulator.reset({ key: testKey });
    await config().update('output', 'nextToOriginal', vscode.ConfigurationTarget.Global);
    const photo = workspaceFile('left-for-reload/photo.jpg');
    await vscode.workspace.fs.copy(workspaceFile('assets/photo.jpg'), photo, { overwrite: true });
    const run = vscode.commands.executeCommand('ideogramUpscale.upscale', photo);
    // Visible rows only: the list keeps hidden rows of earlier steps (an "Illustration" would match "On").
    const row = (text: string) => `.quick-input-widget .quick-input-list-row:visible:has-text("${text}")`;
    const box = '.quick-input-widget .quick-input-box input';
    const step = (n: number) => `.quick-input-widget .quick-input-title:has-text("(${n}/8)")`;
    const next = (n: number, value: string) => [{ waitFor: step(n) }, { fill: box, value }, { press: 'Enter' }];
    await ui([
      { waitFor: row('Customize…') },
      { click: row('Customize…') },
      ...next(2, 'kept across the reload'),
      ...next(3, '77'),
      ...next(4, '33'),
      { waitFor: step(5) },
      { click: row('On') },
      ...next(6, '1'),
      ...next(7, '4321'),
      { waitFor: step(8) },
      { waitFor: row('2x') },
      { press: 'Enter' },
    ]);
    await run;
    const sent = emulator.stats.lastImageRequest;
    assert.deepEqual(sent, { prompt: 'kept across the reload', resemblance: 77, detail: 33, magic_prompt_option: 'ON', num_images: 1, seed: 4321 });
    await writeFile(join(env.outDir, 'last-params.json'), JSON.stringify(sent));
  });
});
