import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { crashEmulatorInfo, crashRun, crashV2Run } from '../support/crashRun';
import { env, report, ui } from '../support/handshake';
import { lastingEmulatorStats, stopLastingEmulator } from '../support/lastingEmulator';
import { activate, decodeFile, exists, until, workspaceFile } from './helpers';

/** Runs in the extension host VS Code started again after the crash at the end of the Chinese phase. */
describe('After the extension host crashed', () => {
  it('offers the interrupted run and the generation and resumes them by polling: every image saved, none uploaded again', async function () {
    const info = crashEmulatorInfo(env.outDir);
    if (!existsSync(info)) this.skip();
    this.timeout(120_000);
    try {
      await vscode.workspace.getConfiguration('ideogramUpscale').update('baseUrl', (JSON.parse(await readFile(info, 'utf8')) as { url: string }).url, vscode.ConfigurationTarget.Global);
      await activate();
      // The notification, in Chinese: "Upscale of crash/ was interrupted: 4 of 4 left." with Resume (继续).
      const offer = '.notification-toast:has-text("crash/")';
      await ui([{ waitFor: offer, timeoutMs: 30_000 }, { textOf: offer, file: 'crash-offer.txt' }, { screenshot: 'crash-offer' }, { click: `${offer} .monaco-button:has-text("继续")` }]);
      const offered = await readFile(`${env.outDir}/crash-offer.txt`, 'utf8');
      assert.match(offered, /crash\/.*4.*4/s, offered);
      const folder = workspaceFile(crashRun.folder).fsPath;
      const saved = async () => (await readdir(folder)).filter((f) => f.includes('@upscaled') && !f.startsWith('.'));
      await until('every image of the run is saved', async () => (await saved()).length === crashRun.names.length, 90_000);
      // The generation of Ideogram's current upscalers, offered on its own and resumed by polling its id.
      const v2Offer = `.notification-toast:has-text("${crashV2Run.folder}/")`;
      await ui([{ waitFor: v2Offer, timeoutMs: 30_000 }, { click: `${v2Offer} .monaco-button:has-text("继续")` }]);
      const v2Source = workspaceFile(`${crashV2Run.folder}/${crashV2Run.name}`);
      const v2Copy = workspaceFile(`${crashV2Run.folder}/${crashV2Run.name.replace('.png', '@upscaled.png')}`);
      await until('the generation\'s result is saved', () => exists(v2Copy), 60_000);
      const [original, result] = [await decodeFile(v2Source), await decodeFile(v2Copy)];
      assert.deepEqual([result.width, result.height], [original.width * 2, original.height * 2]);
      // The lasting emulator writes its figures every 200 ms: read once they count the generation's query.
      await until('the service counts a query of the generation', () => lastingEmulatorStats(info).v2.generationQueries > 0, 5_000);
      const stats = lastingEmulatorStats(info);
      assert.equal(stats.submits, crashRun.names.length + 1, 'each image was uploaded once, before the crash');
      assert.deepEqual(stats.v2.contractViolations, []);
      report(`      crash: ${crashRun.names.length} images and 1 generation of the v2 upscalers at the service when the extension host was killed, ${(await saved()).length} + 1 saved after it started again, ${stats.submits} uploads`);
    } finally {
      stopLastingEmulator(info);
      await vscode.workspace.getConfiguration('ideogramUpscale').update('ideogramBaseUrl', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
