import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { Emulator } from '../emulator/server';
import { env, ui } from '../support/handshake';
import { activate, decodeFile, exists, startEmulator, testKey, until, workspaceFile } from './helpers';

/** A PNG that is only a header (signature and IHDR): the scan reads its size without decoding. */
function pngHeader(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  bytes.set([8, 6, 0, 0, 0], 24);
  return bytes;
}

describe('Upscale a whole folder: the plan, its price, the record', function () {
  let emulator: Emulator;
  const config = () => vscode.workspace.getConfiguration('ideogramUpscale');
  const row = (name: string) => `.explorer-folders-view .monaco-list-row[aria-label^="${name}"]`;
  const menuItem = '.context-view .action-label:has-text("Upscale Images in Folder…")';
  const plan = '.quick-input-widget .quick-input-title';
  const ok = '.quick-input-widget .monaco-button:has-text("OK")';

  before(async function () {
    if (!env.canScreenshot) this.skip(); // the plan is driven through the explorer and the quick pick
    emulator = await startEmulator({ inflightLimit: 10 });
    await activate();
    await config().update('output', 'nextToOriginal', vscode.ConfigurationTarget.Global);
    // Three results ask for confirmation here, as twenty would by default.
    await config().update('confirmAboveResults', 2, vscode.ConfigurationTarget.Global);
    const put = (path: string, bytes: Uint8Array) => vscode.workspace.fs.writeFile(workspaceFile(`site/${path}`), bytes);
    for (const name of ['logo.png', 'photo.jpg', 'banner.webp']) await vscode.workspace.fs.copy(workspaceFile(`assets/${name}`), workspaceFile(`site/img/${name}`), { overwrite: true });
    await vscode.workspace.fs.copy(workspaceFile('assets/logo.png'), workspaceFile('site/img/logo@upscaled.png'), { overwrite: true });
    await put('img/hero.png', pngHeader(3000, 2000));
    await put('img/favicon.png', pngHeader(16, 16));
    await put('img/anim.gif', new Uint8Array(Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64')));
    await put('node_modules/pkg/icon.png', pngHeader(64, 64));
  });

  after(async () => {
    for (const key of ['output', 'confirmAboveResults']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await emulator?.stop();
  });

  it('right-click a folder: the plan leaves out what needs no upscale, the price is confirmed, the results are saved', async () => {
    emulator.reset({ key: testKey, inflightLimit: 10 });
    await vscode.commands.executeCommand('revealInExplorer', workspaceFile('site/img/logo.png'));
    await ui([
      { click: row('site'), button: 'right' },
      { waitFor: menuItem },
      { sleep: 300 }, // a menu that has just opened lets a click pass
      { click: menuItem },
      { waitFor: `${plan}:has-text("3 of 7 images")`, timeoutMs: 20_000 },
      { waitFor: '.quick-input-widget .quick-input-list-row:has-text("an upscaled copy of an earlier run")' },
      { waitFor: '.quick-input-widget .quick-input-list-row:has-text("not below 2048 px")' },
      { sleep: 300 },
      { screenshot: 'folder-plan' },
      { click: ok },
      { waitFor: '.quick-input-widget .quick-input-list-row:has-text("Settings\' defaults")' },
      { click: '.quick-input-widget .quick-input-list-row:has-text("Settings\' defaults")' },
      { waitFor: `${plan}:has-text("That is 3 results, about 0.18 USD")` },
      { sleep: 300 },
      { screenshot: 'folder-confirm' },
      { click: '.quick-input-widget .quick-input-list-row:has-text("Upscale 3 Images")' },
    ]);
    // logo@upscaled.png was there before: the new copy takes the next free name.
    for (const name of ['logo@upscaled-2.png', 'photo@upscaled.jpg', 'banner@upscaled.webp']) {
      await until(`site/img/${name} is saved`, () => exists(workspaceFile(`site/img/${name}`)), 30_000);
    }
    const photo = await decodeFile(workspaceFile('site/img/photo@upscaled.jpg'));
    assert.equal(photo.width, 320, 'a whole image at twice the size');
    assert.equal(emulator.stats.submits, 3, 'one upload per planned image, none for what was left out');
    assert.ok(emulator.stats.maxInFlight <= 10 && emulator.stats.inflightRefusals === 0, `in flight at most 10 (saw ${emulator.stats.maxInFlight})`);
    // The record: one entry per image, sorted, one a line.
    const record = workspaceFile('.vscode/ideogram-upscale.json');
    await until('the record is written', () => exists(record));
    const lines = (await readFile(record.fsPath, 'utf8')).split('\n').filter((l) => l.startsWith('    "'));
    assert.deepEqual(lines.map((l) => l.trim().split('"')[1]), ['site/img/banner.webp', 'site/img/logo.png', 'site/img/photo.jpg']);
    assert.ok(lines.every((l) => /"output":"copy"/.test(l) && /"original":"[0-9a-f]{64}"/.test(l)));
  });

  it('a rerun of the same folder plans nothing and costs nothing', async () => {
    emulator.reset({ key: testKey, inflightLimit: 10 });
    const run = vscode.commands.executeCommand<{ planned: number; price: { amount: number } } | undefined>('ideogramUpscale.upscaleFolder', workspaceFile('site'));
    await ui([
      { waitFor: `${plan}:has-text("0 of 10 images")`, timeoutMs: 20_000 },
      { waitFor: `${plan}:has-text("0 results, about 0 USD")` },
      { waitFor: '.quick-input-widget .quick-input-list-row:has-text("done already")' },
      { screenshot: 'folder-rerun' },
      { click: ok },
    ]);
    const summary = await run;
    assert.equal(summary?.planned, 0);
    assert.equal(summary?.price.amount, 0);
    assert.equal(emulator.stats.submits, 0);
  });
});
