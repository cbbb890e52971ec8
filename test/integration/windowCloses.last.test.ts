import { readdir } from 'node:fs/promises';
import * as vscode from 'vscode';
import { env, ui } from '../support/handshake';
import { lastingEmulatorInfo, startLastingEmulator } from '../support/lastingEmulator';
import { loadFaults, loadFixture, loadName, loadRun, slowTasks } from '../support/loadRun';
import { activate, panel, testKey, until, upscale, workspaceFile } from './helpers';

/**
 * The last file of the first phase (the window reload follows it): the load run is left midway,
 * against an emulator in a process of its own that outlives the reload, so the reload phase can
 * resume it.
 */
describe('While a run of 200 images goes on, the window closes', function () {
  const config = () => vscode.workspace.getConfiguration('ideogramUpscale');

  before(async function () {
    if (!env.canScreenshot) this.skip(); // the reload between the phases is the code-server runner's
    const refuseFiles = Object.fromEntries(Object.entries(loadFaults).map(([i, fault]) => [loadName(Number(i)), fault]));
    const url = await startLastingEmulator({ key: testKey, shape: 'task', taskMs: 2500, inflightLimit: 10, refuseFiles }, lastingEmulatorInfo(env.outDir));
    await config().update('baseUrl', url, vscode.ConfigurationTarget.Global);
    // An upload the service never answers fails after 5 s here, not 120.
    await config().update('requestTimeoutSeconds', 5, vscode.ConfigurationTarget.Global);
    await activate();
  });

  it('leaves the run midway when the window reloads', async () => {
    const sources: vscode.Uri[] = [];
    for (let i = 0; i < loadRun.count; i++) {
      const target = workspaceFile(`${loadRun.folder}/${loadName(i)}`);
      await vscode.workspace.fs.copy(workspaceFile(`assets/${loadFixture(i)}`), target, { overwrite: true });
      sources.push(target);
    }
    void upscale(sources, { params: 'defaults', output: 'nextToOriginal', batch: `${loadRun.folder}/` });
    const saved = async () => (await readdir(workspaceFile(loadRun.folder).fsPath)).filter((f) => f.includes('@upscaled')).length;
    await until('a quarter of the run is saved', async () => (await saved()) >= 50, 120_000);
    // Three images with slow tasks are at the service as the window reloads; tasks of 2.5 s leave
    // most of the run to do by then (the old window can take a while to close).
    await ui(slowTasks.map((i) => ({ waitFor: `${panel.card(loadName(i))}.state-waiting`, frame: 'panel' as const, timeoutMs: 60_000 })));
  });
});
