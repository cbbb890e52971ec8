import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Emulator } from '../emulator/server';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { env, report, screenshot, ui } from '../support/handshake';
import { lastingEmulatorInfo, lastingEmulatorStats, stopLastingEmulator } from '../support/lastingEmulator';
import { activate, exists, panel, resultsPanelTabs, startEmulator, until, upscale, workspaceFile } from './helpers';

/** Runs after the runner reloaded the window at the end of the first phase. */
describe('After a window reload', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator();
    await activate();
  });

  after(() => emulator.stop());

  it('the results panel is restored with its earlier results', async () => {
    await until('the results panel is back', () => resultsPanelTabs().length === 1);
    await ui([{ waitFor: `${panel.card('photo.jpg')}.state-done`, frame: 'panel', timeoutMs: 30_000 }, { waitFor: `${panel.card('banner.webp')}.state-done`, frame: 'panel' }]);
    await screenshot('panel-after-reload');
  });

  it('offers to resume the interrupted run, from a card and from the notification: polls the two tasks, sends only the image never sent', async function () {
    const info = lastingEmulatorInfo(env.outDir);
    if (!existsSync(info)) this.skip();
    const config = vscode.workspace.getConfiguration('ideogramUpscale');
    // The run goes on against the service that has its tasks (the emulator that outlived the reload).
    await config.update('baseUrl', (JSON.parse(await readFile(info, 'utf8')) as { url: string }).url, vscode.ConfigurationTarget.Global);
    try {
      // The card of an image whose task the service has offers Resume, not Run again (which would bill it anew).
      const logo = `${panel.card('logo.png')}.state-failed`;
      await ui([
        { waitFor: `${logo} >> role=button[name="Resume"]`, frame: 'panel', timeoutMs: 30_000 },
        { countOf: `${logo} >> role=button[name="Run again"]`, frame: 'panel', file: 'resume-card-run-again.txt' },
        { click: `${logo} >> role=button[name="Resume"]`, frame: 'panel' },
      ]);
      assert.equal(await readFile(join(env.outDir, 'resume-card-run-again.txt'), 'utf8'), '0');
      await until('interrupted/logo@upscaled.png is saved', () => exists(workspaceFile('interrupted/logo@upscaled.png')), 30_000);
      // The rest from the notification that offered the whole run.
      await vscode.commands.executeCommand('notifications.showList');
      const offer = '.notifications-center .notification-list-item:has-text("Upscale of interrupted/ was interrupted: 3 of 3 left.")';
      await ui([{ waitFor: offer, timeoutMs: 30_000 }, { screenshot: 'resume-offer' }, { click: `${offer} .monaco-button:has-text("Resume")` }]);
      for (const name of ['logo@upscaled.png', 'photo@upscaled.jpg', 'banner@upscaled.webp']) {
        await until(`interrupted/${name} is saved`, () => exists(workspaceFile(`interrupted/${name}`)), 30_000);
      }
      const stats = lastingEmulatorStats(info);
      assert.equal(stats.submits, 3, 'two uploads before the reload, one after: no task was sent again');
      assert.ok(stats.taskQueries >= 2, 'the two tasks were polled');
      report(`resume: 3 images, 2 resumed by polling after the reload, 1 sent after it, ${stats.submits - 3} uploaded twice`);
    } finally {
      stopLastingEmulator(info);
      await config.update('maxImagesInFlight', undefined, vscode.ConfigurationTarget.Global);
      await config.update('baseUrl', emulator.url, vscode.ConfigurationTarget.Global);
    }
  });

  it('"Same as last time" still holds the parameters chosen before the reload', async () => {
    const expected = JSON.parse(await readFile(join(env.outDir, 'last-params.json'), 'utf8')) as Record<string, unknown>;
    const summary = await upscale([workspaceFile('assets/banner.webp')], { params: 'last', output: 'ask' });
    assert.equal(summary?.jobs[0].state, 'done');
    assert.deepEqual(emulator.stats.lastImageRequest, expected);
  });
});
