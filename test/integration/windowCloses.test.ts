import * as vscode from 'vscode';
import { Emulator } from '../emulator/server';
import { env, ui } from '../support/handshake';
import { activate, panel, startEmulator, upscale, workspaceFile } from './helpers';

/**
 * The last file of the first phase (the window reload follows it): an upscale is left waiting on
 * the service's task, so the reload phase can check what the job's record kept of it.
 */
describe('While an upscale runs, the window closes', function () {
  let emulator: Emulator;

  before(async function () {
    if (!env.canScreenshot) this.skip(); // the reload between the phases is the code-server runner's
    emulator = await startEmulator({ shape: 'task', taskMs: 10 * 60_000 });
    await activate();
  });

  it('leaves an upscale waiting on its task when the window reloads', async () => {
    const source = workspaceFile('assets/interrupted.png');
    await vscode.workspace.fs.copy(workspaceFile('assets/logo.png'), source, { overwrite: true });
    void upscale([source], { params: 'defaults', output: 'ask' });
    await vscode.commands.executeCommand('ideogramUpscale.showResults');
    await ui([{ waitFor: `${panel.card('interrupted.png')}.state-waiting`, frame: 'panel', timeoutMs: 30_000 }]);
    // The emulator stays up: the reload ends this extension host, and the emulator with it.
    void emulator;
  });
});
