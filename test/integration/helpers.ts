import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { loadCodecs } from '../../src/core/images/codecs';
import { Emulator } from '../emulator/server';

export const extensionId = 'ideogram-upscale.ideogram-upscale';
export const testKey = 'sk-test-0123456789abcdef';

export function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test VS Code has a workspace folder open');
  return vscode.Uri.joinPath(folder.uri, relative);
}

/** A real HTTP emulator on 127.0.0.1 and the user setting that points the extension at it. */
export async function startEmulator(): Promise<Emulator> {
  const emulator = new Emulator({ key: testKey });
  const url = await emulator.start();
  await vscode.workspace.getConfiguration('ideogramUpscale').update('baseUrl', url, vscode.ConfigurationTarget.Global);
  return emulator;
}

export async function activate(): Promise<void> {
  const extension = vscode.extensions.getExtension(extensionId);
  assert.ok(extension, `${extensionId} is loaded`);
  await extension.activate();
}

/** Decodes an image file with the codecs, as proof it is a whole image and not just a header. */
export async function decodeFile(uri: vscode.Uri) {
  const codecs = await loadCodecs();
  return codecs.decode(new Uint8Array(await readFile(uri.fsPath)));
}

export function resultsPanelTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('ideogramUpscale.results'));
}
