import * as vscode from 'vscode';
import { env, ui } from '../support/handshake';
import { lastingEmulatorInfo, startLastingEmulator } from '../support/lastingEmulator';
import { activate, panel, testKey, upscale, workspaceFile } from './helpers';

/**
 * The last file of the first phase (the window reload follows it): a run of three images is left
 * with two tasks at the service and one image not yet sent, against an emulator that outlives
 * the reload, so the reload phase can resume it.
 */
describe('While a run of three images goes on, the window closes', function () {
  const config = () => vscode.workspace.getConfiguration('ideogramUpscale');

  before(async function () {
    if (!env.canScreenshot) this.skip(); // the reload between the phases is the code-server runner's
    const url = await startLastingEmulator({ key: testKey, shape: 'task', taskMs: 4000 }, lastingEmulatorInfo(env.outDir));
    await config().update('baseUrl', url, vscode.ConfigurationTarget.Global);
    // Two in flight: the third image waits its turn, unsent, when the window closes.
    await config().update('maxImagesInFlight', 2, vscode.ConfigurationTarget.Global);
    await activate();
  });

  it('leaves two images waiting on their tasks and one queued when the window reloads', async () => {
    const sources = ['logo.png', 'photo.jpg', 'banner.webp'].map((name) => workspaceFile(`interrupted/${name}`));
    for (const [i, name] of ['logo.png', 'photo.jpg', 'banner.webp'].entries()) await vscode.workspace.fs.copy(workspaceFile(`assets/${name}`), sources[i], { overwrite: true });
    void upscale(sources, { params: 'defaults', output: 'nextToOriginal', batch: 'interrupted/' });
    await vscode.commands.executeCommand('ideogramUpscale.showResults');
    await ui([
      { waitFor: `${panel.card('logo.png')}.state-waiting`, frame: 'panel', timeoutMs: 30_000 },
      { waitFor: `${panel.card('photo.jpg')}.state-waiting`, frame: 'panel' },
      { waitFor: `${panel.card('banner.webp')}.state-queued`, frame: 'panel' },
      { sleep: 500 }, // each step is written as it happens; let the last write land
    ]);
  });
});
