import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Emulator } from '../emulator/server';
import { env, report, ui } from '../support/handshake';
import { activate, exists, panel, sha256, startEmulator, testKey, until, upscale, workspaceFile } from './helpers';

/** The extension's storage of this workspace, where each job has a folder named by its id. */
async function jobsFolder(jobId: string): Promise<string> {
  const root = join(env.userDataDir ?? '', 'User', 'workspaceStorage');
  for (const workspace of await readdir(root)) {
    const jobs = join(root, workspace, 'ideogram-upscale.ideogram-upscale', 'jobs');
    if (existsSync(join(jobs, jobId))) return jobs;
  }
  throw new Error(`no folder of job ${jobId} under ${root}`);
}

/** What the storage holds, as a user's disk sees it: every file of every job folder. */
async function storedBytes(jobs: string): Promise<number> {
  let total = 0;
  for (const job of await readdir(jobs)) {
    for (const file of await readdir(join(jobs, job)).catch(() => [] as string[])) total += (await stat(join(jobs, job, file)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/** Names of their own: the panel holds the cards of every other test too. */
async function copyFixture(fixture: string, name: string): Promise<vscode.Uri> {
  const target = workspaceFile(`storage/${name}`);
  await vscode.workspace.fs.copy(workspaceFile(`assets/${fixture}`), target, { overwrite: true });
  return target;
}

describe('Storage that stays bounded, and an undo that survives it', function () {
  let emulator: Emulator;
  let jobs: string;
  const ids = { saved: '', unsaved: '', replaced: '' };
  const figures: string[] = [];
  const config = () => vscode.workspace.getConfiguration('ideogramUpscale');
  const palette = (title: string) => [
    { press: 'F1' },
    { waitFor: '.quick-input-widget .quick-input-box input' },
    { type: title },
    { waitFor: `.quick-input-widget .quick-input-list-row:has-text("Ideogram: ${title}")` },
    { press: 'Enter' },
  ];

  before(async function () {
    if (!env.canScreenshot || !env.userDataDir) this.skip(); // the palette and quick picks need the browser runner
    emulator = await startEmulator();
    await activate();
    emulator.reset({ key: testKey, shape: 'sync' });
    const run = async (uri: vscode.Uri, output: 'ask' | 'nextToOriginal' | 'replace') => {
      const summary = await upscale([uri], { params: 'defaults', output });
      assert.equal(summary?.jobs[0].state, 'done', summary?.jobs[0].error);
      return summary.jobs[0];
    };
    ids.saved = (await run(await copyFixture('logo.png', 'pruned.png'), 'nextToOriginal')).id;
    ids.unsaved = (await run(await copyFixture('photo.jpg', 'unsaved.jpg'), 'ask')).id;
    const replaced = await run(await copyFixture('banner.webp', 'replaced.webp'), 'replace');
    assert.equal(replaced.replaced, true, replaced.error);
    ids.replaced = replaced.id;
    jobs = await jobsFolder(ids.saved);
  });

  after(async () => {
    await config().update('keepResultsMB', undefined, vscode.ConfigurationTarget.Global);
    if (figures.length) report(`storage: ${figures.join(', ')}`);
    await emulator?.stop();
  });

  it('a lower keepResultsMB prunes the saved result at once, keeps the unsaved one and the undo\'s backup, and the panel drops its card', async () => {
    await ui([{ waitFor: `${panel.card('pruned.png')}.state-done`, frame: 'panel', timeoutMs: 30_000 }]);
    const before = await storedBytes(jobs);
    await config().update('keepResultsMB', 0.001, vscode.ConfigurationTarget.Global);
    await until('the saved result is pruned', () => !existsSync(join(jobs, ids.saved)));
    const after = await storedBytes(jobs);
    figures.push(`${before} bytes before, ${after} after a prune to keepResultsMB 0.001`);
    assert.ok(after < before, `the storage shrank (${before} → ${after} bytes)`);
    assert.ok(existsSync(join(jobs, ids.unsaved)), 'a result never saved is not pruned without asking');
    assert.ok(existsSync(join(jobs, ids.replaced)), 'the backup that Undo Last Replace needs is kept');
    assert.ok(await exists(workspaceFile('storage/pruned@upscaled.png')), 'the copy in the workspace is untouched');
    await ui([
      { waitFor: `${panel.card('unsaved.jpg')}.state-done`, frame: 'panel' },
      { sleep: 500 },
      { countOf: panel.card('pruned.png'), frame: 'panel', file: 'storage-pruned-cards.txt' },
    ]);
    assert.equal(await readFile(join(env.outDir, 'storage-pruned-cards.txt'), 'utf8'), '0', 'the pruned card left the panel');
  });

  it('Clear Results asks in a quick pick naming counts and megabytes: Escape keeps everything, the saved results go first, the unsaved only when picked', async () => {
    await config().update('keepResultsMB', undefined, vscode.ConfigurationTarget.Global);
    const saved = (await upscale([await copyFixture('logo.png', 'cleared.png')], { params: 'defaults', output: 'nextToOriginal' }))?.jobs[0];
    assert.equal(saved?.saved.length, 1, saved?.error);
    const row = (text: string) => `.quick-input-widget .quick-input-list-row:has-text("${text}")`;
    const [safeItem, unsavedItem] = [row('whose results are saved, replaced or failed'), row('results never saved')];
    await ui([
      ...palette('Clear Results'),
      { waitFor: unsavedItem },
      { textOf: safeItem, file: 'storage-clear-safe.txt' },
      { textOf: unsavedItem, file: 'storage-clear-unsaved.txt' },
      { screenshot: 'clear-results' },
      { press: 'Escape' },
    ]);
    const [safeText, unsavedText] = [await readFile(join(env.outDir, 'storage-clear-safe.txt'), 'utf8'), await readFile(join(env.outDir, 'storage-clear-unsaved.txt'), 'utf8')];
    assert.match(safeText, /Clear [1-9]\d* upscales whose results are saved, replaced or failed \([\d.]+ MB\)/, safeText);
    assert.match(unsavedText, /Clear all ([2-9]|[1-9]\d+) upscales \([\d.]+ MB\), results never saved: [1-9]\d*/, unsavedText);
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(existsSync(join(jobs, saved.id)) && existsSync(join(jobs, ids.unsaved)), 'nothing is cleared when the question is dismissed');
    const before = await storedBytes(jobs);
    await ui([...palette('Clear Results'), { waitFor: safeItem }, { click: safeItem }]);
    await until('the saved result is cleared', () => !existsSync(join(jobs, saved.id)));
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(existsSync(join(jobs, ids.unsaved)), 'the result never saved stays when only the saved ones are cleared');
    assert.ok(await exists(workspaceFile('storage/cleared@upscaled.png')), 'the copy in the workspace is untouched');
    const between = await storedBytes(jobs);
    await ui([...palette('Clear Results'), { waitFor: unsavedItem }, { click: unsavedItem }]);
    await until('the unsaved result is cleared', () => !existsSync(join(jobs, ids.unsaved)));
    const after = await storedBytes(jobs);
    figures.push(`Clear Results from ${before} to ${between} (saved ones) to ${after} bytes (all)`);
    assert.ok(between < before && after < between);
    assert.ok(existsSync(join(jobs, ids.replaced)), 'Clear Results keeps the backup that Undo Last Replace needs');
    await ui([{ sleep: 500 }, { countOf: panel.card('unsaved.jpg'), frame: 'panel', file: 'storage-cleared-cards.txt' }]);
    assert.equal(await readFile(join(env.outDir, 'storage-cleared-cards.txt'), 'utf8'), '0', 'the cleared card left the panel');
  });

  it('Undo Last Replace, from the Command Palette after the prune and the clear, puts the original back byte for byte', async () => {
    const replaced = workspaceFile('storage/replaced.webp');
    const original = await sha256(workspaceFile('assets/banner.webp'));
    assert.notEqual(await sha256(replaced), original);
    await ui(palette('Undo Last Replace'));
    await until('the original is back', async () => (await sha256(replaced)) === original);
  });
});
