import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { UpscaleOptions, UpscaleSummary } from '../../src/commands/upscale';
import { loadCodecs } from '../../src/core/images/codecs';
import { Emulator, EmulatorOptions } from '../emulator/server';

export const extensionId = 'ideogram-upscale.ideogram-upscale';
export const testKey = 'sk-test-0123456789abcdef';

export function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test VS Code has a workspace folder open');
  return vscode.Uri.joinPath(folder.uri, relative);
}

/** A real HTTP emulator on 127.0.0.1 and the user setting that points the extension at it. */
export async function startEmulator(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  const emulator = new Emulator({ key: testKey, ...options });
  const url = await emulator.start();
  await vscode.workspace.getConfiguration('ideogramUpscale').update('baseUrl', url, vscode.ConfigurationTarget.Global);
  return emulator;
}

export async function activate(): Promise<void> {
  const extension = vscode.extensions.getExtension(extensionId);
  assert.ok(extension, `${extensionId} is loaded`);
  await extension.activate();
  await vscode.commands.executeCommand('ideogramUpscale.setApiKey', testKey);
}

export function upscale(uris: vscode.Uri[], options?: UpscaleOptions): Thenable<UpscaleSummary | undefined> {
  return vscode.commands.executeCommand<UpscaleSummary | undefined>('ideogramUpscale.upscale', uris[0], uris, options);
}

/** Decodes an image file with the codecs, as proof it is a whole image and not just a header. */
export async function decodeFile(uri: vscode.Uri) {
  const codecs = await loadCodecs();
  return codecs.decode(new Uint8Array(await readFile(uri.fsPath)));
}

export async function sha256(uri: vscode.Uri): Promise<string> {
  return createHash('sha256').update(await readFile(uri.fsPath)).digest('hex');
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}

/**
 * Clears and closes the notification center, and waits out VS Code's toast limit (3 new toasts in
 * 800 ms; any more go only to the center, as a dot on the bell): what the test waits for next then
 * comes as a toast, as it does for a person, who is never that fast.
 */
export async function roomForToasts(): Promise<void> {
  await vscode.commands.executeCommand('notifications.clearAll');
  await vscode.commands.executeCommand('notifications.hideList');
  await new Promise((r) => setTimeout(r, 900));
}

/** Waits for a condition that a user would wait for (a file to appear, a state to change). */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function resultsPanelTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter(isResultsPanel);
}

export function isResultsPanel(tab: vscode.Tab): boolean {
  return tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('ideogramUpscale.results');
}

/** Playwright selectors for the panel's parts (see media/panel.ts). */
export const panel = {
  card: (fileName: string) => `section.job[aria-label="${fileName}"]`,
  button: (fileName: string, label: string) => `section.job[aria-label="${fileName}"] >> role=button[name="${label}"]`,
};

/** `count` copies of the fixtures (logo.png, photo.jpg, banner.webp in turn) in `folder`, and the SHA-256 of each as it was. */
export async function fixtureCopies(folder: string, count: number): Promise<{ uris: vscode.Uri[]; hashes: string[] }> {
  const fixtures = ['logo.png', 'photo.jpg', 'banner.webp'];
  const uris: vscode.Uri[] = [];
  for (let i = 0; i < count; i++) {
    const name = fixtures[i % fixtures.length];
    const uri = workspaceFile(`${folder}/${i}-${name}`);
    await vscode.workspace.fs.copy(workspaceFile(`assets/${name}`), uri, { overwrite: true });
    uris.push(uri);
  }
  return { uris, hashes: await Promise.all(uris.map(sha256)) };
}
