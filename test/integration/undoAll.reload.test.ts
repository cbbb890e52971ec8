import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { env, ui } from '../support/handshake';
import { activate, roomForToasts, sha256 } from './helpers';
import { undoAllRun } from '../support/undoAllRun';

/** Runs after the runner reloaded the window; leftForReload.last.test.ts left a run of 10 replaces. */
describe('Undo all of a run\'s replaces, after a window reload', () => {
  it('Undo Last Replace restores all 10 originals of the folder run, byte for byte', async function () {
    const left = join(env.outDir, undoAllRun.file);
    if (!existsSync(left)) this.skip();
    await activate();
    const { files, hashes } = JSON.parse(await readFile(left, 'utf8')) as { files: string[]; hashes: string[] };
    const uris = files.map((f) => vscode.Uri.parse(f));
    assert.ok((await Promise.all(uris.map(sha256))).every((h, i) => h !== hashes[i]), 'the replaced files are still the results');
    // The load test before this one leaves the notification center open with many rows.
    await roomForToasts();
    await vscode.commands.executeCommand('ideogramUpscale.undoReplace');
    assert.deepEqual(await Promise.all(uris.map(sha256)), hashes);
    await ui([{ waitFor: '.notification-toast:has-text("Restored 10 originals.")', timeoutMs: 20_000 }]);
  });
});
