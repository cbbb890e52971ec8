import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { loadCodecs } from '../../src/core/images/codecs';
import { Emulator } from '../emulator/server';
import { env, ui } from '../support/handshake';
import { activate, decodeFile, exists, startEmulator, until, workspaceFile } from './helpers';

const config = () => vscode.workspace.getConfiguration('ideogramUpscale');
const ideogramKey = 'ideo-v2-0123456789';
const row = (text: string) => `.quick-input-widget .quick-input-list-row:has-text("${text}")`;
const title = '.quick-input-widget .quick-input-title';
const box = '.quick-input-widget .quick-input-box input';

/** A flat PNG of this size in the workspace: 8x of a 1100 px side passes 8,192 px. */
async function widePng(relative: string, width: number, height: number): Promise<vscode.Uri> {
  const codecs = await loadCodecs();
  const uri = workspaceFile(relative);
  await vscode.workspace.fs.writeFile(uri, await codecs.encode({ width, height, data: new Uint8ClampedArray(width * height * 4).fill(180) }, 'png'));
  return uri;
}

describe('Ideogram\'s current upscalers, the third service', function () {
  let emulator: Emulator;

  before(async function () {
    if (!env.canScreenshot) this.skip(); // the setup and the parameters are driven through their quick picks
    emulator = await startEmulator({ key: ideogramKey, taskMs: 600 });
    await activate();
    await config().update('ideogramBaseUrl', emulator.url, vscode.ConfigurationTarget.Global);
    // The Ideogram key, stored once through the v1 choice.
    await config().update('service', 'ideogram', vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('ideogramUpscale.setApiKey', ideogramKey);
  });

  after(async () => {
    // The Ideogram key goes, as the setup's own test expects to find none.
    await vscode.commands.executeCommand('ideogramUpscale.clearApiKey');
    for (const key of ['service', 'ideogramBaseUrl', 'output', 'confirmAboveResults', 'defaults.v2Model', 'defaults.upscaleFactor']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await emulator?.stop();
  });

  afterEach(() => assert.deepEqual(emulator.v2.stats.contractViolations, [], 'every request is one the docs describe'));

  it('is set up as the third choice, with the Ideogram key already stored kept, not asked again', async () => {
    const setup = vscode.commands.executeCommand<boolean>('ideogramUpscale.setup');
    await ui([
      { waitFor: row("Ideogram's current upscalers") },
      { screenshot: 'setup-v2-service' },
      { click: row("Ideogram's current upscalers") },
      { waitFor: `${title}:has-text("Address of Ideogram's API")` },
      { waitFor: '.quick-input-widget:has-text("/v2/image/upscale/{model}")' },
      { press: 'Enter' },
      { waitFor: `${title}:has-text("both Ideogram choices use it")` },
      { click: row('Keep the stored key') },
    ]);
    assert.equal(await setup, true);
    assert.equal(config().get('service'), 'ideogramV2');
    assert.equal(config().inspect('ideogramBaseUrl')?.globalValue, emulator.url);
  });

  it('upscales logo.png 4x with topaz-text-refine, picked in the parameter steps, and saves it at exactly 4x', async () => {
    emulator.reset({ key: ideogramKey, taskMs: 600 });
    await config().update('output', 'nextToOriginal', vscode.ConfigurationTarget.Global);
    const run = vscode.commands.executeCommand<{ jobs: { state: string; saved: string[]; error?: string }[] }>('ideogramUpscale.upscale', workspaceFile('assets/logo.png'));
    // Chosen by typing, as a user of the keyboard does (a row's tooltip may cover the next row).
    await ui([
      { waitFor: row('Customize…') },
      { type: 'Customize' },
      { press: 'Enter' },
      { waitFor: row('Keeps large and small lettering sharp') },
      { screenshot: 'v2-models' },
      { type: 'topaz-text-refine' },
      { press: 'Enter' },
      { waitFor: row('x8') },
      { waitFor: row('long side 512 px') },
      { type: 'x4' },
      { press: 'Enter' },
    ]);
    const summary = await run;
    assert.equal(summary.jobs[0].state, 'done', summary.jobs[0].error);
    const saved = vscode.Uri.parse(summary.jobs[0].saved[0]);
    const source = await decodeFile(workspaceFile('assets/logo.png'));
    const result = await decodeFile(saved);
    assert.equal(result.format, 'png');
    assert.deepEqual([result.width, result.height], [source.width * 4, source.height * 4]);
    assert.equal(emulator.v2.stats.lastModel, 'topaz-text-refine');
    assert.equal(emulator.v2.stats.lastFields.upscale_factor, 'x4');
    assert.equal(emulator.v2.stats.lastFields.async, 'true', 'asynchronous, polled by generation_id');
    assert.ok(emulator.v2.stats.generationQueries >= 1);
    assert.equal(emulator.stats.lastHeaders['api-key'], ideogramKey);
    await vscode.workspace.fs.delete(saved);
  });

  it('refuses x8 in place for an image it would take past 8,192 px, naming x4, and sends x4', async () => {
    emulator.reset({ key: ideogramKey, taskMs: 300 });
    const wide = await widePng('assets/wide-v2.png', 1100, 40);
    const run = vscode.commands.executeCommand<{ jobs: { state: string; saved: string[]; error?: string }[] }>('ideogramUpscale.upscale', wide);
    await ui([
      { waitFor: row('Same as last time') },
      { type: 'Customize' },
      { press: 'Enter' },
      { waitFor: row('topaz-text-refine') },
      { type: 'topaz-text-refine' },
      { press: 'Enter' },
      { waitFor: row('would make 8800 px') },
      { type: 'x8' },
      { press: 'Enter' },
      { waitFor: `${title}:has-text("the largest factor for this image is x4")` },
      { screenshot: 'v2-factor-refused' },
      { fill: box, value: 'x4' },
      { press: 'Enter' },
    ]);
    const summary = await run;
    assert.equal(summary.jobs[0].state, 'done', summary.jobs[0].error);
    const result = await decodeFile(vscode.Uri.parse(summary.jobs[0].saved[0]));
    assert.deepEqual([result.width, result.height], [4400, 160]);
    assert.equal(emulator.stats.submits, 1, 'x8 was never sent');
    await vscode.workspace.fs.delete(vscode.Uri.parse(summary.jobs[0].saved[0]));
    await vscode.workspace.fs.delete(wide);
  });

  it('a folder plan shows the price quoted by dry runs, one per distinct size', async () => {
    emulator.reset({ key: ideogramKey, taskMs: 100, v2MicrosPerMegapixel: 30_000 });
    await config().update('confirmAboveResults', 1, vscode.ConfigurationTarget.Global);
    // The defaults are what the earlier test chose last time: the plan and the run price the same requests.
    await config().update('defaults.v2Model', 'topaz-text-refine', vscode.ConfigurationTarget.Global);
    await config().update('defaults.upscaleFactor', 'x4', vscode.ConfigurationTarget.Global);
    for (const name of ['a', 'b', 'c']) await vscode.workspace.fs.copy(workspaceFile('assets/logo.png'), workspaceFile(`icons-v2/${name}.png`), { overwrite: true });
    await vscode.workspace.fs.copy(workspaceFile('assets/photo.jpg'), workspaceFile('icons-v2/photo.jpg'), { overwrite: true });
    const run = vscode.commands.executeCommand<{ planned: number; price: { amount: number; exact: boolean } } | undefined>('ideogramUpscale.upscaleFolder', workspaceFile('icons-v2'));
    // Last time: topaz-text-refine x4. logo 512x384 and photo 640x480 are one started megapixel each: 4 × 0.03.
    await ui([
      { waitFor: `${title}:has-text("4 of 4 images")`, timeoutMs: 20_000 },
      { waitFor: `${title}:has-text("0.12 USD as quoted by the service")` },
      { screenshot: 'v2-folder-plan' },
      { click: '.quick-input-widget .monaco-button:has-text("OK")' },
      { waitFor: row("Settings' defaults") },
      { type: "Settings' defaults" },
      { press: 'Enter' },
      { waitFor: `${title}:has-text("That is 4 results, 0.12 USD as quoted by the service")` },
      { screenshot: 'v2-folder-confirm' },
      { type: 'Cancel' },
      { press: 'Enter' },
    ]);
    const summary = await run;
    assert.equal(summary, undefined, 'cancelled at the confirmation');
    assert.equal(emulator.v2.stats.dryRuns, 2, 'one dry run per distinct size and parameter set');
    assert.equal(emulator.stats.acceptedByName['a.png'], undefined, 'nothing was run');
    assert.ok(!(await exists(workspaceFile('icons-v2/a@upscaled.png'))));
  });

  it('without a quote (the dry run refused), the plan shows the estimate from settings, labelled as one', async () => {
    emulator.reset({ key: ideogramKey, fault: 'serverError', faultTimes: 100 });
    const run = vscode.commands.executeCommand('ideogramUpscale.upscaleFolder', workspaceFile('icons-v2'));
    await ui([
      { waitFor: `${title}:has-text("about 0.24 USD (estimate from settings)")`, timeoutMs: 20_000 },
      { press: 'Escape' },
    ]);
    assert.equal(await run, undefined);
    await vscode.workspace.fs.delete(workspaceFile('icons-v2'), { recursive: true });
    await until('the folder is gone', async () => !(await exists(workspaceFile('icons-v2'))));
  });
});
