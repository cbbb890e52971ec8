import * as vscode from 'vscode';
import { env, ui } from '../support/handshake';
import { crashEmulatorInfo, crashRun, crashV2Run } from '../support/crashRun';
import { startLastingEmulator } from '../support/lastingEmulator';
import { activate, panel, testKey, upscale, workspaceFile } from './helpers';

/**
 * The last file of its phase: a run is left with every image at the service, then the extension
 * host is killed (index.ts), as a crash would end it: nothing is disposed, nothing said goodbye.
 */
describe('While a run goes on, the extension host crashes', function () {
  before(function () {
    if (!env.canScreenshot) this.skip(); // the crash between the phases is the code-server runner's
  });

  it('leaves a run whose every image is at the service, and a generation of Ideogram\'s current upscalers', async () => {
    const url = await startLastingEmulator({ key: testKey, shape: 'task', taskMs: 25_000 }, crashEmulatorInfo(env.outDir));
    await vscode.workspace.getConfiguration('ideogramUpscale').update('baseUrl', url, vscode.ConfigurationTarget.Global);
    await activate();
    const fixtures: Record<string, string> = { png: 'logo.png', jpg: 'photo.jpg', webp: 'banner.webp' };
    const sources: vscode.Uri[] = [];
    for (const name of crashRun.names) {
      const target = workspaceFile(`${crashRun.folder}/${name}`);
      await vscode.workspace.fs.copy(workspaceFile(`assets/${fixtures[name.slice(name.lastIndexOf('.') + 1)]}`), target, { overwrite: true });
      sources.push(target);
    }
    void upscale(sources, { params: 'defaults', output: 'nextToOriginal', batch: `${crashRun.folder}/` });
    await ui(crashRun.names.map((name) => ({ waitFor: `${panel.card(name)}.state-waiting`, frame: 'panel' as const, timeoutMs: 30_000 })));
    // And a generation of Ideogram's current upscalers (async, polled by its id), at the same service.
    const config = vscode.workspace.getConfiguration('ideogramUpscale');
    await config.update('service', 'ideogramV2', vscode.ConfigurationTarget.Global);
    await config.update('ideogramBaseUrl', url, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('ideogramUpscale.setApiKey', testKey);
    const v2Source = workspaceFile(`${crashV2Run.folder}/${crashV2Run.name}`);
    await vscode.workspace.fs.copy(workspaceFile('assets/logo.png'), v2Source, { overwrite: true });
    void upscale([v2Source], { params: 'defaults', output: 'nextToOriginal', batch: `${crashV2Run.folder}/` });
    await ui([{ waitFor: `${panel.card(crashV2Run.name)}.state-waiting`, frame: 'panel', timeoutMs: 30_000 }]);
    // The job keeps the service it was sent to.
    await config.update('service', undefined, vscode.ConfigurationTarget.Global);
  });
});
