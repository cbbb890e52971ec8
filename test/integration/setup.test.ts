import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Emulator } from '../emulator/server';
import { env, ui } from '../support/handshake';
import { activate, roomForToasts, startEmulator, testKey, upscale, workspaceFile } from './helpers';

const config = () => vscode.workspace.getConfiguration('ideogramUpscale');
const ideogramKey = 'ideo-0123456789';

describe('Two services, set up in one place', function () {
  let emulator: Emulator;

  before(async function () {
    if (!env.canScreenshot) this.skip(); // the setup is driven through its quick picks
    emulator = await startEmulator();
    await activate();
  });

  after(async () => {
    await config().update('service', undefined, vscode.ConfigurationTarget.Global);
    await config().update('ideogramBaseUrl', undefined, vscode.ConfigurationTarget.Global);
    await emulator?.stop();
  });

  it('sets up Ideogram\'s own API, its address refused until it is https: its key goes in an Api-Key header to /upscale', async () => {
    const setup = vscode.commands.executeCommand<boolean>('ideogramUpscale.setup');
    const box = '.quick-input-widget .quick-input-box input';
    await ui([
      { waitFor: '.quick-input-widget .quick-input-list-row:has-text("Ideogram\'s own API")' },
      { screenshot: 'setup-service' },
      { click: '.quick-input-widget .quick-input-list-row:has-text("Ideogram\'s own API")' },
      { waitFor: '.quick-input-widget .quick-input-title:has-text("Address of Ideogram\'s API")' },
      { waitFor: '.quick-input-widget:has-text("1/2")', timeoutMs: 5000 },
      { fill: box, value: 'http://api.ideogram.example' },
      { waitFor: '.quick-input-widget >> text=Use an https address for "ideogramUpscale.ideogramBaseUrl".' },
      { screenshot: 'setup-ideogram-address-refused' },
      { fill: box, value: emulator.url },
      { press: 'Enter' },
      { waitFor: '.quick-input-widget .quick-input-box input[type="password"]' },
      { type: ideogramKey },
      { press: 'Enter' },
    ]);
    assert.equal(await setup, true);
    assert.equal(config().get('service'), 'ideogram');
    assert.equal(config().inspect('ideogramBaseUrl')?.globalValue, emulator.url);
    emulator.reset({ key: ideogramKey });
    const summary = await upscale([workspaceFile('assets/banner.webp')], { params: 'defaults', output: 'ask' });
    assert.equal(summary?.jobs[0].state, 'done', summary?.jobs[0].error);
    assert.equal(emulator.stats.lastHeaders['api-key'], ideogramKey);
    assert.equal(emulator.stats.lastHeaders.authorization, undefined, 'no Bearer header goes to Ideogram');
  });

  it('a wrong Ideogram address names "ideogramUpscale.ideogramBaseUrl", not the gateway\'s setting', async () => {
    await config().update('ideogramBaseUrl', `${emulator.url}/not-ideogram`, vscode.ConfigurationTarget.Global);
    const summary = await upscale([workspaceFile('assets/banner.webp')], { params: 'defaults', output: 'ask' });
    assert.equal(summary?.jobs[0].state, 'failed');
    assert.match(summary?.jobs[0].error ?? '', /HTTP 404.*"ideogramUpscale\.ideogramBaseUrl"/);
    assert.doesNotMatch(summary?.jobs[0].error ?? '', /"ideogramUpscale\.baseUrl"/);
    await config().update('ideogramBaseUrl', 'api.ideogram.ai', vscode.ConfigurationTarget.Global);
    await roomForToasts(); // earlier tests' notifications would leave no room for this one's toast
    const refused = upscale([workspaceFile('assets/banner.webp')], { params: 'defaults', output: 'ask' });
    await ui([{ waitFor: '.notification-toast:has-text("is not a URL"):has-text("ideogramUpscale.ideogramBaseUrl")' }, { screenshot: 'ideogram-address-not-a-url' }]);
    assert.equal(await refused, undefined, 'nothing was sent');
    await vscode.commands.executeCommand('notifications.clearAll');
    await config().update('ideogramBaseUrl', emulator.url, vscode.ConfigurationTarget.Global);
  });

  it('goes back to the gateway, whose own key is kept apart', async () => {
    const setup = vscode.commands.executeCommand<boolean>('ideogramUpscale.setup');
    await ui([
      { click: '.quick-input-widget .quick-input-list-row:has-text("a gateway that relays Ideogram")' },
      { waitFor: '.quick-input-widget .quick-input-title:has-text("Address of the API gateway")' },
      // The address is the first of two steps, and the box says so.
      { waitFor: '.quick-input-widget:has-text("1/2")', timeoutMs: 5000 },
      { screenshot: 'setup-address-step' },
      { press: 'Enter' },
      { waitFor: '.quick-input-widget .quick-input-list-row:has-text("Keep the stored key")' },
      { click: '.quick-input-widget .quick-input-list-row:has-text("Keep the stored key")' },
    ]);
    assert.equal(await setup, true);
    assert.equal(config().get('service'), 'gateway');
    emulator.reset({ key: testKey });
    const summary = await upscale([workspaceFile('assets/banner.webp')], { params: 'defaults', output: 'ask' });
    assert.equal(summary?.jobs[0].state, 'done', summary?.jobs[0].error);
    assert.equal(emulator.stats.lastHeaders.authorization, `Bearer ${testKey}`);
  });
});
