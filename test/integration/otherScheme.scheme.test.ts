import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { loadCodecs } from '../../src/core/images/codecs';
import { Emulator } from '../emulator/server';
import { env, screenshot, ui } from '../support/handshake';
import { MemoryFileSystem } from '../support/memFs';
import { activate, startEmulator, testKey, until, workspaceFile } from './helpers';

/**
 * A workspace folder whose files are not on disk (a remote or virtual file system): the same
 * right-click, save, replace and undo, through `workspace.fs` alone.
 */
describe('A workspace folder on another file system than the disk', function () {
  let emulator: Emulator;
  const memfs = new MemoryFileSystem('ideogram-memfs');
  const root = vscode.Uri.parse('ideogram-memfs:/');
  const file = (path: string) => vscode.Uri.joinPath(root, path);
  const config = () => vscode.workspace.getConfiguration('ideogramUpscale');
  const row = (name: string) => `.explorer-folders-view .monaco-list-row[aria-label^="${name}"]`;
  const upscaleItem = '.context-view .action-label:has-text("Upscale with Ideogram…")';
  const defaults = '.quick-input-widget .quick-input-list-row:has-text("Settings\' defaults")';
  const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
  const read = (uri: vscode.Uri) => vscode.workspace.fs.readFile(uri);
  const sizeOf = async (uri: vscode.Uri) => {
    const decoded = await (await loadCodecs()).decode(await read(uri));
    return [decoded.width, decoded.height];
  };
  let registration: vscode.Disposable | undefined;

  before(async function () {
    if (!env.canScreenshot) this.skip(); // driven with real right-clicks in the explorer
    emulator = await startEmulator();
    await activate();
    registration = vscode.workspace.registerFileSystemProvider(memfs.scheme, memfs, { isCaseSensitive: true });
    memfs.createDirectory(file('art'));
    memfs.writeFile(file('art/mem-logo.png'), await vscode.workspace.fs.readFile(workspaceFile('assets/logo.png')), { create: true, overwrite: false });
    memfs.writeFile(file('art/mem-photo.jpg'), await vscode.workspace.fs.readFile(workspaceFile('assets/photo.jpg')), { create: true, overwrite: false });
    // The runner opened a workspace file whose second folder is this file system's root.
    assert.ok(vscode.workspace.workspaceFolders?.some((f) => f.uri.toString() === root.toString()), 'the in-memory folder is a workspace folder');
  });

  beforeEach(async () => {
    emulator.reset({ key: testKey });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await config().update('output', undefined, vscode.ConfigurationTarget.Global);
    registration?.dispose();
    await emulator?.stop();
  });

  async function rightClickUpscale(name: string, uri: vscode.Uri): Promise<void> {
    await vscode.commands.executeCommand('revealInExplorer', uri);
    await vscode.workspace.getConfiguration('workbench.list').update('openMode', 'doubleClick', vscode.ConfigurationTarget.Global);
    try {
      await ui([{ sleep: 500 }, { click: row(name) }, { sleep: 300 }, { click: row(name), button: 'right' }, { waitFor: upscaleItem }, { sleep: 300 }, { click: upscaleItem }, { waitFor: defaults }, { click: defaults }]);
    } catch (err) {
      await screenshot(`memfs-no-menu-${name}`);
      throw err;
    } finally {
      await vscode.workspace.getConfiguration('workbench.list').update('openMode', undefined, vscode.ConfigurationTarget.Global);
    }
  }

  it('saves the upscaled copy next to the original, in that file system', async () => {
    await config().update('output', 'nextToOriginal', vscode.ConfigurationTarget.Global);
    await rightClickUpscale('mem-logo.png', file('art/mem-logo.png'));
    const copy = file('art/mem-logo@upscaled.png');
    await until('the copy is written to the in-memory folder', async () => vscode.workspace.fs.stat(copy).then(() => true, () => false), 30_000);
    const original = await sizeOf(file('art/mem-logo.png'));
    assert.deepEqual(await sizeOf(copy), [original[0] * 2, original[1] * 2]);
    assert.equal(emulator.stats.submits, 1);
  });

  it('replaces the original in place, and Undo Last Replace puts its bytes back', async () => {
    await config().update('output', 'replace', vscode.ConfigurationTarget.Global);
    const photo = file('art/mem-photo.jpg');
    const before = await read(photo);
    const [width, height] = await sizeOf(photo);
    await rightClickUpscale('mem-photo.jpg', photo);
    // A rename over a file through workspace.fs deletes the old one first: for a moment there is none.
    const current = () => read(photo).then(sha, () => '');
    await until('the photo is replaced by its upscale', async () => ![sha(before), ''].includes(await current()), 30_000);
    assert.deepEqual(await sizeOf(photo), [width * 2, height * 2]);
    await ui([
      { press: 'F1' },
      { waitFor: '.quick-input-widget .quick-input-box input' },
      { type: 'Undo Last Replace' },
      { waitFor: '.quick-input-widget .quick-input-list-row:has-text("Ideogram: Undo Last Replace")' },
      { press: 'Enter' },
    ]);
    await until('the original is back', async () => (await current()) === sha(before));
  });
});
