import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { UpscaleSummary } from '../../src/commands/upscale';
import { Emulator } from '../emulator/server';
import { env, ui } from '../support/handshake';
import { activate, startEmulator, testKey, workspaceFile } from './helpers';

const row = (text: string) => `.quick-input-widget .quick-input-list-row:has-text("${text}")`;
const rows = '.quick-input-widget .quick-input-list .monaco-list-row';
const box = '.quick-input-widget .quick-input-box input';
const step = (n: number) => `.quick-input-widget .quick-input-title:has-text("(${n}/8)")`;
const saved = (file: string) => readFile(join(env.outDir, file), 'utf8');

describe('The quick picks start where the user left them', function () {
  let emulator: Emulator;

  before(async function () {
    if (!env.canScreenshot) this.skip(); // the quick picks are answered as a user answers them
    emulator = await startEmulator();
    await activate();
  });

  after(async () => {
    await vscode.workspace.getConfiguration('files').update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
    await emulator?.stop();
  });

  /** Customize…, then Enter on every step but Magic Prompt's, where `atMagic` is done. */
  async function customize(uri: vscode.Uri, atMagic: Parameters<typeof ui>[0]): Promise<UpscaleSummary | undefined> {
    const command = vscode.commands.executeCommand<UpscaleSummary | undefined>('ideogramUpscale.upscale', uri, [uri]);
    await ui([
      { click: row('Customize…') },
      ...[2, 3, 4].flatMap((n) => [{ waitFor: step(n) }, { press: 'Enter' }]),
      { waitFor: step(5) },
      ...atMagic,
      ...[6, 7, 8].flatMap((n) => [{ waitFor: step(n) }, { press: 'Enter' }]),
    ]);
    return command;
  }

  it('the Magic Prompt step has the current value active, so Enter keeps it', async () => {
    emulator.reset({ key: testKey });
    const logo = workspaceFile('assets/logo.png');
    const first = await customize(logo, [{ click: row('Off') }]);
    assert.equal(first?.jobs[0].state, 'done', first?.jobs[0].error);
    assert.equal(emulator.stats.lastImageRequest?.magic_prompt_option, 'OFF');

    emulator.reset({ key: testKey });
    const again = await customize(logo, [
      { sleep: 300 },
      { textOf: `${rows}.focused`, file: 'magic-prompt-active.txt' },
      { screenshot: 'magic-prompt-current' },
      { press: 'Enter' },
    ]);
    assert.match(await saved('magic-prompt-active.txt'), /^Off/);
    assert.equal(again?.jobs[0].state, 'done', again?.jobs[0].error);
    assert.equal(emulator.stats.lastImageRequest?.magic_prompt_option, 'OFF', 'Enter kept Off');
  });

  it('the palette\'s picker leaves out upscaled copies (until asked) and what files.exclude hides', async () => {
    const make = async (relative: string) => {
      await vscode.workspace.fs.createDirectory(workspaceFile(relative.slice(0, relative.lastIndexOf('/'))));
      await vscode.workspace.fs.copy(workspaceFile('assets/logo.png'), workspaceFile(relative), { overwrite: true });
    };
    await make('picker/pickable.png');
    await make('picker/pickable@upscaled.png');
    await make('picker/pickable@upscaled-2.png');
    await make('picker-excluded/pickable-hidden.png');
    await vscode.workspace.getConfiguration('files').update('exclude', { '**/picker-excluded': true }, vscode.ConfigurationTarget.Workspace);
    // With an image preview in front, the command would take that image instead of asking.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const command = vscode.commands.executeCommand<UpscaleSummary | undefined>('ideogramUpscale.upscale');
    await ui([
      { waitFor: '.quick-input-widget .quick-input-title:has-text("choose images")' },
      { type: 'pickable' },
      { sleep: 300 },
      { countOf: rows, file: 'picker-shown.txt' },
      { countOf: `${rows}:has-text("@upscaled")`, file: 'picker-copies.txt' },
      { screenshot: 'palette-picker' },
      { click: '.quick-input-widget .quick-input-right-action-bar .action-label' },
      { sleep: 300 },
      { countOf: `${rows}:has-text("@upscaled")`, file: 'picker-copies-asked.txt' },
      { fill: box, value: 'hidden' },
      { sleep: 300 },
      { countOf: rows, file: 'picker-excluded.txt' },
      { press: 'Escape' },
    ]);
    assert.equal(await command, undefined, 'dismissed');
    assert.equal(await saved('picker-shown.txt'), '1', 'only picker/pickable.png');
    assert.equal(await saved('picker-copies.txt'), '0', 'no upscaled copy by default');
    assert.equal(await saved('picker-copies-asked.txt'), '2', 'both copies once asked for');
    assert.equal(await saved('picker-excluded.txt'), '0', 'files.exclude is honoured');
  });
});
