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
const step = (n: number) => `.quick-input-widget .quick-input-title:has-text("(${n}/7)")`;
const saved = (file: string) => readFile(join(env.outDir, file), 'utf8');

describe('The quick picks start where the user left them', function () {
  let emulator: Emulator;

  before(async function () {
    if (!env.canScreenshot) this.skip(); // the quick picks are answered as a user answers them
    emulator = await startEmulator();
    await activate();
  });

  after(async () => {
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
      ...[6, 7].flatMap((n) => [{ waitFor: step(n) }, { press: 'Enter' }]),
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
});
