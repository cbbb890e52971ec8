import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { env, ui } from '../support/handshake';
import { lastingEmulatorStats, stopLastingEmulator } from '../support/lastingEmulator';
import { v2ReloadRun } from '../support/undoAllRun';
import { activate, decodeFile, exists, until, workspaceFile } from './helpers';

/** Runs after the runner reloaded the window; leftForReload.last.test.ts left a generation under way. */
describe('A generation of Ideogram\'s current upscalers, after a window reload', () => {
  it('is offered as interrupted and resumed by polling its generation id: saved, uploaded once', async function () {
    const info = v2ReloadRun.info(env.outDir);
    if (!existsSync(info)) this.skip();
    this.timeout(120_000);
    const config = vscode.workspace.getConfiguration('ideogramUpscale');
    try {
      await activate();
      await vscode.commands.executeCommand('notifications.showList');
      const offer = `.notifications-center .notification-list-item:has-text("Upscale of ${v2ReloadRun.folder}/ was interrupted")`;
      await ui([{ waitFor: offer, timeoutMs: 30_000 }, { click: `${offer} .monaco-button:has-text("Resume")` }]);
      await vscode.commands.executeCommand('notifications.hideList');
      const source = workspaceFile(`${v2ReloadRun.folder}/${v2ReloadRun.name}`);
      const copy = workspaceFile(`${v2ReloadRun.folder}/${v2ReloadRun.name.replace('.png', '@upscaled.png')}`);
      await until('the generation\'s result is saved', () => exists(copy), 90_000);
      const [original, result] = [await decodeFile(source), await decodeFile(copy)];
      assert.deepEqual([result.width, result.height], [original.width * 2, original.height * 2]);
      const stats = lastingEmulatorStats(info);
      assert.equal(stats.submits, 1, 'the image was uploaded once, before the reload');
      assert.ok(stats.v2.generationQueries > 0, 'the generation was polled');
      assert.deepEqual(stats.v2.contractViolations, []);
    } finally {
      stopLastingEmulator(info);
      await config.update('ideogramBaseUrl', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
