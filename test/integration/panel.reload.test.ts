import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Emulator } from '../emulator/server';
import { env, screenshot, ui } from '../support/handshake';
import { activate, panel, resultsPanelTabs, startEmulator, until, upscale, workspaceFile } from './helpers';

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

  it('an upscale that was waiting on its task when the window closed says it may have been billed', async () => {
    await until('the results panel is back', () => resultsPanelTabs().length === 1);
    const card = panel.card('interrupted.png');
    await ui([
      { waitFor: `${card}.state-failed`, frame: 'panel', timeoutMs: 30_000 },
      { waitFor: `${card} .alert-message:has-text("it may have been billed")`, frame: 'panel' },
      { waitFor: `${card} >> role=button[name="Run again"]`, frame: 'panel' },
    ]);
    await screenshot('panel-interrupted');
  });

  it('"Same as last time" still holds the parameters chosen before the reload', async () => {
    const expected = JSON.parse(await readFile(join(env.outDir, 'last-params.json'), 'utf8')) as Record<string, unknown>;
    const summary = await upscale([workspaceFile('assets/banner.webp')], { params: 'last', output: 'ask' });
    assert.equal(summary?.jobs[0].state, 'done');
    assert.deepEqual(emulator.stats.lastImageRequest, expected);
  });
});
