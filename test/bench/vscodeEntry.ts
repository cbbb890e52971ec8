import { renameSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { IdeogramUpscaleApi } from '../../src/extension';
import { Emulator } from '../emulator/server';

/**
 * Runs inside the extension host of a real VS Code (as `extensionTestsPath`, see vscode.ts):
 * activates the extension, then upscales a batch with the results panel open, and writes what
 * the extension's `diagnostics()` says to the file named by IDEOGRAM_BENCH_FIGURES.
 */
const extensionId = 'ideogram-upscale.ideogram-upscale';
const key = 'sk-bench-0123456789abcdef';
const batchSize = 32;
const fixtures = ['logo.png', 'photo.jpg', 'banner.webp'];


export async function run(): Promise<void> {
  const outFile = process.env.IDEOGRAM_BENCH_FIGURES;
  if (!outFile) throw new Error('IDEOGRAM_BENCH_FIGURES is not set');
  const write = (value: unknown) => {
    writeFileSync(`${outFile}.tmp`, JSON.stringify(value, null, 2));
    renameSync(`${outFile}.tmp`, outFile);
  };
  let emulator: Emulator | undefined;
  try {
    const extension = vscode.extensions.getExtension<IdeogramUpscaleApi>(extensionId);
    if (!extension) throw new Error(`${extensionId} is not loaded`);
    const activeBefore = extension.isActive;
    const started = performance.now();
    const api = await extension.activate();
    const activateCallMs = performance.now() - started;
    const { activateMs } = api.diagnostics();
    const traffic = api.countPanelTraffic();

    // A batch with the panel open, against an emulator in this extension host.
    emulator = new Emulator({ key, shape: 'wrapped' });
    const url = await emulator.start();
    await vscode.workspace.getConfiguration('ideogramUpscale').update('baseUrl', url, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('ideogramUpscale.setApiKey', key);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!folder) throw new Error('no workspace folder is open');
    const uris: vscode.Uri[] = [];
    for (let i = 0; i < batchSize; i++) {
      const fixture = fixtures[i % fixtures.length];
      const target = vscode.Uri.joinPath(folder, 'bench', `image-${String(i + 1).padStart(2, '0')}${fixture.slice(fixture.lastIndexOf('.'))}`);
      await vscode.workspace.fs.copy(vscode.Uri.joinPath(folder, 'assets', fixture), target, { overwrite: true });
      uris.push(target);
    }
    await vscode.commands.executeCommand('ideogramUpscale.showResults');
    // The page asks for the job list once loaded: that first message says the panel is live.
    const until = Date.now() + 60_000;
    while (traffic.panelMessages === 0) {
      if (Date.now() > until) throw new Error('the results panel did not load within 60 s');
      await sleep(100);
    }
    await sleep(500);
    const before = { ...traffic };
    const batchStarted = performance.now();
    const summary = await vscode.commands.executeCommand<{ jobs: { state: string; error?: string; saved: string[] }[] } | undefined>('ideogramUpscale.upscale', uris[0], uris, { params: 'defaults', output: 'nextToOriginal' });
    const batchMs = performance.now() - batchStarted;
    await sleep(1000); // anything posted just after the command returned
    const after = { ...traffic };
    write({
      vscodeVersion: vscode.version,
      activeBefore,
      activateMs,
      activateCallMs,
      before,
      after,
      batchMs,
      jobs: summary?.jobs.length ?? 0,
      done: summary?.jobs.filter((j) => j.state === 'done' && !j.error).length ?? 0,
      firstError: summary?.jobs.find((j) => j.error)?.error,
      submits: emulator.stats.submits,
    });
  } catch (err) {
    write({ error: (err as Error).stack ?? String(err) });
  } finally {
    await emulator?.stop();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
