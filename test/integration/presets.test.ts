import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FolderSummary } from '../../src/commands/upscaleFolder';
import { Emulator } from '../emulator/server';
import { env, report, ui } from '../support/handshake';
import { activate, exists, roomForToasts, startEmulator, testKey, until, upscale, workspaceFile } from './helpers';

const presetsFile = () => workspaceFile('.vscode/ideogram-upscale-presets.json');
const row = (text: string) => `.quick-input-widget .quick-input-list-row:has-text("${text}")`;
const plan = '.quick-input-widget .quick-input-title';
const ok = '.quick-input-widget .monaco-button:has-text("OK")';

async function writeText(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

describe('Presets per path, and the summary for a pull request', function () {
  let emulator: Emulator;
  const config = () => vscode.workspace.getConfiguration('ideogramUpscale');
  const kit = () => workspaceFile('kit');

  before(async function () {
    if (!env.canScreenshot) this.skip(); // the plan, the quick pick and the panel are driven as a user drives them
    emulator = await startEmulator();
    await activate();
    await config().update('output', 'nextToOriginal', vscode.ConfigurationTarget.Global);
    await vscode.workspace.fs.delete(kit(), { recursive: true, useTrash: false }).then(undefined, () => undefined);
    for (const [from, to] of [['logo.png', 'icons/logo.png'], ['photo.jpg', 'photos/photo.jpg'], ['banner.webp', 'other/banner.webp']]) {
      await vscode.workspace.fs.copy(workspaceFile(`assets/${from}`), workspaceFile(`kit/${to}`), { overwrite: true });
    }
  });

  after(async () => {
    await config().update('output', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.fs.delete(presetsFile(), { useTrash: false }).then(undefined, () => undefined);
    await emulator?.stop();
  });

  it('a folder run sends each file with its mapped preset, and the plan shows which', async () => {
    emulator.reset({ key: testKey });
    await writeText(
      presetsFile(),
      JSON.stringify({ presets: { hero: { label: 'Hero images', resemblance: 35, detail: 80, magicPrompt: 'ON', target: '2x' } }, paths: { 'kit/icons/**': 'ui', 'kit/photos/**': 'hero', '**/*.webp': 'illustration', 'kit/other/**': 'defaults' } }, null, 2),
    );
    const run = vscode.commands.executeCommand<FolderSummary | undefined>('ideogramUpscale.upscaleFolder', kit());
    await ui([
      { waitFor: `${plan}:has-text("3 of 3 images")`, timeoutMs: 20_000 },
      { waitFor: row('kit/icons/logo.png') + ':has-text("preset: UI, logo and text")' },
      { waitFor: row('kit/photos/photo.jpg') + ':has-text("preset: Hero images")' },
      // kit/other/ is longer than the glob's empty start: the folder's rule wins over **/*.webp.
      { waitFor: row('kit/other/banner.webp') + ':has-text("preset: Settings\' defaults")' },
      { sleep: 300 },
      { screenshot: 'folder-plan-presets' },
      { click: ok },
      { waitFor: row('Each image with its mapped preset') },
      { screenshot: 'quick-pick-mapped-presets' },
      { press: 'Enter' },
    ]);
    const summary = await run;
    assert.deepEqual(summary?.run?.jobs.map((j) => j.state), ['done', 'done', 'done']);
    const sent = emulator.stats.requestsByName;
    assert.deepEqual(sent['logo.png'], [{ resemblance: 90, detail: 20, magic_prompt_option: 'OFF', num_images: 1 }], 'ui: high resemblance, low detail, Magic Prompt off');
    assert.deepEqual(sent['photo.jpg'], [{ resemblance: 35, detail: 80, magic_prompt_option: 'ON', num_images: 1 }], 'the file\'s own preset');
    assert.deepEqual(sent['banner.webp'], [{ resemblance: 50, detail: 50, magic_prompt_option: 'AUTO', num_images: 1 }], 'the settings\' defaults');
  });

  it('offers the file\'s mapped preset first in the quick pick, marked as its own', async () => {
    emulator.reset({ key: testKey });
    const mark = workspaceFile('kit/icons/mark.png');
    await vscode.workspace.fs.copy(workspaceFile('assets/logo.png'), mark, { overwrite: true });
    const run = vscode.commands.executeCommand('ideogramUpscale.upscale', mark, [mark]);
    await ui([
      { waitFor: '.quick-input-widget .quick-input-list-row >> nth=0 >> text=/mapped to this file by kit\\/icons\\/\\*\\*/' },
      { waitFor: '.quick-input-widget .quick-input-list-row >> nth=0 >> text=UI, logo and text' },
      { screenshot: 'quick-pick-preset' },
      { press: 'Enter' },
    ]);
    await run;
    assert.deepEqual(emulator.stats.requestsByName['mark.png'], [{ resemblance: 90, detail: 20, magic_prompt_option: 'OFF', num_images: 1 }]);
    await until('mark@upscaled.png is saved', () => exists(workspaceFile('kit/icons/mark@upscaled.png')));
  });

  it('the panel\'s Copy summary puts a Markdown table of the chosen runs on the clipboard', async () => {
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('ideogramUpscale.showResults');
    await ui([
      { click: '#toolbar >> role=button[name="Copy summary"]', frame: 'panel' },
      // The newest run (mark.png) is checked; the folder run is checked too.
      { waitFor: '.quick-input-widget .quick-input-title:has-text("Runs to summarize")' },
      { click: row('kit/') },
      { screenshot: 'summary-runs' },
      { press: 'Enter' },
    ]);
    let text = '';
    await until('the summary is on the clipboard', async () => (text = await vscode.env.clipboard.readText()).includes('Total'));
    report(`summary:\n${text}`);
    const lines = text.trim().split('\n');
    assert.equal(lines[0], '| File | Size (W×H) | Bytes | Preset or parameters | Seed | Service | Price |');
    const rowOf = (file: string) => lines.find((l) => l.startsWith(`| \`${file}\` |`));
    assert.match(rowOf('kit/icons/logo.png') ?? '', /^\| `kit\/icons\/logo\.png` \| 128×96 → 256×192 \| [\d.]+ KB → [\d.]+ KB \| UI, logo and text \| \d+ \| API gateway \| 0\.06 USD \|$/);
    assert.match(rowOf('kit/photos/photo.jpg') ?? '', /\| 160×120 → 320×240 \| .* \| Hero images \| \d+ \| API gateway \| 0\.06 USD \|$/);
    assert.match(rowOf('kit/other/banner.webp') ?? '', /\| Settings' defaults \| \d+ \| API gateway \| 0\.06 USD \|$/);
    assert.match(rowOf('kit/icons/mark.png') ?? '', /\| UI, logo and text \|/);
    assert.equal(lines.filter((l) => l.startsWith('| `')).length, 4, 'one row per image of the two runs');
    assert.match(lines[lines.length - 1], /^\| \*\*Total: 4 images\*\* \| {2}\| \*\*[\d.]+ KB → [\d.]+ KB\*\* \|( {2}\|){3} \*\*0\.24 USD\*\* \|$/);
  });

  it('a presets file naming a preset that does not exist stops the run with its file and line; nothing is sent', async () => {
    emulator.reset({ key: testKey });
    await roomForToasts(); // earlier tests' error toasts would leave no room for this one's
    await writeText(presetsFile(), '{\n  "paths": {\n    "kit/icons/**": "ui",\n    "kit/photos/**": "fotos"\n  }\n}\n');
    const run = vscode.commands.executeCommand<FolderSummary | undefined>('ideogramUpscale.upscaleFolder', kit());
    await ui([
      { waitFor: '.notification-toast:has-text("ideogram-upscale-presets.json, line 4: unknown preset \\"fotos\\"")' },
      { waitFor: '.notification-toast .monaco-button:has-text("Open Presets File")' },
      { screenshot: 'presets-file-error' },
    ]);
    assert.equal(await run, undefined);
    await assert.rejects(Promise.resolve(upscale([workspaceFile('kit/icons/logo.png')], { params: 'defaults' })), /line 4: unknown preset "fotos".*Nothing was sent/s);
    assert.equal(emulator.stats.submits, 0, 'nothing was uploaded');
  });

  it('VS Code checks the presets file against the extension\'s schema as it is edited', async () => {
    await writeText(presetsFile(), '{\n  "presets": {\n    "hero": { "resemblance": 0, "target": "5x" }\n  }\n}\n');
    const editor = await vscode.window.showTextDocument(presetsFile());
    let messages: string[] = [];
    await until('the JSON language service reports the schema\'s problems', () => {
      messages = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.range.start.line === 2).map((d) => d.message);
      return messages.length >= 2;
    }, 30_000);
    report(`presets schema: ${messages.join(' / ')}`);
    assert.ok(messages.some((m) => /minimum/i.test(m)), `resemblance 0 is below the schema's minimum: ${messages.join(' / ')}`);
    assert.ok(messages.some((m) => /pattern|match/i.test(m)), `"5x" is not of the target grammar: ${messages.join(' / ')}`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
