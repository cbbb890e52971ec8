import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Emulator } from '../emulator/server';
import { env, screenshot, ui, UiStep } from '../support/handshake';
import { activate, decodeFile, exists, startEmulator, testKey, until, workspaceFile } from './helpers';

/** Upscale from where the image is seen: the preview's picture, its tab, its title bar, a path in code, the explorer. */
describe('Right-click the image where you see it', function () {
  let emulator: Emulator;
  const config = () => vscode.workspace.getConfiguration('ideogramUpscale');
  const item = (title: string) => `.context-view .action-label:has-text("${title}")`;
  const upscaleItem = item('Upscale with Ideogram…');
  const defaults = '.quick-input-widget .quick-input-list-row:has-text("Settings\' defaults")';
  /** The smallest element of the editor's text that holds `text`: the token a person points at. */
  const token = (text: string) => `.monaco-editor .view-lines >> text=${text}`;
  /** The image preview's page (VS Code lays webviews over the editor, outside its part). */
  const picture = 'iframe.webview.ready[src*="media-preview"]:visible';

  before(async function () {
    if (!env.canScreenshot) this.skip(); // menus are driven with real right-clicks
    emulator = await startEmulator();
    await activate();
    await config().update('output', 'nextToOriginal', vscode.ConfigurationTarget.Global);
  });

  beforeEach(async () => {
    emulator?.reset({ key: testKey });
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await config().update('output', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await emulator?.stop();
  });

  async function copyTo(folder: string, name = 'logo.png', as = name): Promise<vscode.Uri> {
    const target = workspaceFile(`where/${folder}/${as}`);
    await vscode.workspace.fs.copy(workspaceFile(`assets/${name}`), target, { overwrite: true });
    return target;
  }

  /** What a person checks: a copy beside the original, a whole image at twice the size. */
  async function expectDoubledCopy(source: vscode.Uri): Promise<void> {
    const name = source.path.slice(source.path.lastIndexOf('/') + 1);
    const copy = vscode.Uri.joinPath(source, '..', name.replace(/\.(\w+)$/, '@upscaled.$1'));
    await until(`${name}'s upscaled copy is saved`, () => exists(copy), 30_000).catch(async (err) => {
      await screenshot(`no-copy-${name}`);
      throw err;
    });
    const [original, result] = [await decodeFile(source), await decodeFile(copy)];
    assert.deepEqual([result.width, result.height], [original.width * 2, original.height * 2]);
  }

  async function openPreview(uri: vscode.Uri): Promise<void> {
    await vscode.commands.executeCommand('vscode.openWith', uri, 'imagePreview.previewEditor');
    await until('the image preview is the active tab', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputCustom && input.uri.path === uri.path;
    });
  }

  /**
   * Performs the steps until `expected` shows, three times at most: a webview that has just taken
   * focus sometimes lets the first right-click (or key) pass, and a person simply tries again.
   */
  async function openMenu(steps: UiStep[], expected: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await ui([...steps, { waitFor: expected, timeoutMs: 4000 }]);
        return;
      } catch (err) {
        if (attempt === 3) throw err;
        await ui([{ press: 'Escape' }]);
      }
    }
  }

  /** A person clicks into the path, rests a moment, and right-clicks it. */
  function rightClickOn(text: string): UiStep[] {
    return [{ click: token(text) }, { sleep: 400 }, { click: token(text), button: 'right' }];
  }

  async function upscaleAtPath(text: string, shot: string): Promise<void> {
    const atCursor = item('Upscale Image at Cursor');
    await ui([...rightClickOn(text), { waitFor: atCursor }, { sleep: 300 }, { screenshot: shot }, { click: atCursor }, { click: defaults }]);
  }

  /** Opens the menu, and returns its text (to check what it does not offer). */
  async function menuText(open: UiStep[], name: string): Promise<string> {
    await ui([...open, { waitFor: '.context-view .monaco-menu .action-label' }, { textOf: '.context-view .monaco-menu', file: `${name}.txt` }, { press: 'Escape' }]);
    return readFile(join(env.outDir, `${name}.txt`), 'utf8');
  }

  it('on the picture in the image preview, under VS Code\'s own "Copy"', async () => {
    const logo = await copyTo('preview');
    await openPreview(logo);
    await openMenu([{ waitFor: picture }, { sleep: 500 }, { click: picture, button: 'right' }], upscaleItem);
    await ui([
      { waitFor: item('Copy') },
      { sleep: 300 },
      { screenshot: 'menu-image-preview' },
      { click: upscaleItem },
      { click: defaults },
    ]);
    await expectDoubledCopy(logo);
  });

  it('on the tab of an open image', async () => {
    const logo = await copyTo('tab');
    await openPreview(logo);
    // The preview takes focus once its page is in.
    await openMenu([{ waitFor: picture }, { sleep: 500 }, { click: '.tabs-container .tab:has-text("logo.png")', button: 'right' }], upscaleItem);
    await ui([
      { sleep: 300 },
      { screenshot: 'menu-editor-tab' },
      { click: upscaleItem },
      { click: defaults },
    ]);
    await expectDoubledCopy(logo);
  });

  it('with the sparkle button in the title bar of an open image', async () => {
    const photo = await copyTo('title', 'photo.jpg');
    await openPreview(photo);
    await ui([{ waitFor: picture }, { sleep: 500 }, { click: '.editor-actions .action-label[aria-label^="Upscale with Ideogram"]' }, { click: defaults }]);
    await expectDoubledCopy(photo);
  });

  it('on an image path in a Markdown file, and the hover shows its size with a link that upscales it', async () => {
    const logo = await copyTo('markdown');
    const doc = workspaceFile('where/markdown/README.md');
    await vscode.workspace.fs.writeFile(doc, Buffer.from('# Assets\n\n![logo](./logo.png)\n\n![gone](./missing.png)\n'));
    await vscode.window.showTextDocument(doc);
    // A person points at the path: the hover tells what it is.
    // The pointer comes from elsewhere each time, as a person's does.
    await openMenu([{ waitFor: token('./logo.png') }, { hover: '.part.activitybar' }, { sleep: 500 }, { hover: token('./logo.png') }], '.monaco-hover:has-text("128×96")');
    await ui([
      { sleep: 500 }, // the hover fades in
      { screenshot: 'hover-image-path' },
      { click: '.monaco-hover a:has-text("Upscale with Ideogram")' },
      { click: defaults },
    ]);
    await expectDoubledCopy(logo);
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(logo, '..', 'logo@upscaled.png'));
    // Then clicks into it and right-clicks.
    await upscaleAtPath('./logo.png', 'menu-markdown-path');
    await expectDoubledCopy(logo);
    // A path that resolves to nothing is not offered.
    const text = await menuText(rightClickOn('./missing.png'), 'menu-markdown-missing');
    assert.ok(text.includes('Copy'), 'the editor menu opened');
    assert.ok(!text.includes('Upscale Image at Cursor'), 'no upscale for a path that does not resolve');
  });

  it('on an imported image path in a TSX file', async () => {
    const banner = await copyTo('tsx', 'banner.webp');
    const doc = workspaceFile('where/tsx/Hero.tsx');
    await vscode.workspace.fs.writeFile(doc, Buffer.from("import banner from './banner.webp';\n\nexport const Hero = () => <img src={banner} alt=\"\" />;\n"));
    await vscode.window.showTextDocument(doc);
    await upscaleAtPath('banner.webp', 'menu-tsx-path');
    await expectDoubledCopy(banner);
  });

  it('on a selection of two images in the explorer (click, ctrl-click, right-click)', async () => {
    const logo = await copyTo('multi', 'logo.png', 'first.png');
    const photo = await copyTo('multi', 'photo.jpg', 'second.jpg');
    await vscode.commands.executeCommand('revealInExplorer', photo);
    const row = (name: string) => `.explorer-folders-view .monaco-list-row[aria-label^="${name}"]`;
    // Files open on a double click here, as many users set it: a single click that opens an image
    // lets its preview take the focus, and the next ctrl-click then lands as a plain click.
    await vscode.workspace.getConfiguration('workbench.list').update('openMode', 'doubleClick', vscode.ConfigurationTarget.Global);
    const twoImages = '.quick-input-widget .quick-input-title:has-text("Upscale 2 images")';
    await openMenu(
      [
        { sleep: 500 },
        { click: row('first.png') },
        { click: row('second.jpg'), modifiers: ['Control'] },
        { sleep: 300 },
        { click: row('second.jpg'), button: 'right' },
        { waitFor: upscaleItem },
        { sleep: 300 },
        { screenshot: 'menu-explorer-selection' },
        { click: upscaleItem },
      ],
      twoImages,
    ).finally(() => vscode.workspace.getConfiguration('workbench.list').update('openMode', undefined, vscode.ConfigurationTarget.Global));
    await ui([{ click: defaults }]);
    await expectDoubledCopy(logo);
    await expectDoubledCopy(photo);
    assert.equal(emulator.stats.submits, 2);
  });

  it('is never offered for SVG or GIF, and a key pressed on an SVG gets a clear refusal', async () => {
    const svg = workspaceFile('where/never/icon.svg');
    const gif = workspaceFile('where/never/anim.gif');
    await vscode.workspace.fs.writeFile(svg, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><circle cx="32" cy="32" r="30" fill="#4f46e5"/></svg>'));
    // A 1×1 GIF.
    await vscode.workspace.fs.writeFile(gif, Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64'));
    for (const file of [svg, gif]) {
      const name = file.path.slice(file.path.lastIndexOf('/') + 1);
      await openPreview(file);
      // The same right-click that offers the upscale on a PNG's picture (the first test); here the
      // preview may show no menu at all, having nothing else to offer.
      await ui([
        { sleep: 500 },
        { click: picture, button: 'right' },
        { sleep: 1000 },
        { screenshot: `menu-picture-${name}` },
        { countOf: '.context-view .monaco-menu .action-label:has-text("Upscale")', file: 'menu-upscale-count.txt' },
        { press: 'Escape' },
      ]);
      assert.equal(await readFile(join(env.outDir, 'menu-upscale-count.txt'), 'utf8'), '0', `no upscale on the picture of ${name}`);
      const tab = await menuText([{ click: `.tabs-container .tab:has-text("${name}")`, button: 'right' }], `menu-tab-${name}`);
      assert.ok(tab.includes('Close'), `the tab's menu opened for ${name}`);
      assert.ok(!tab.includes('Upscale'), `no upscale on the tab of ${name}`);
    }
    // The user's keybinding (ctrl+alt+u, test/runners/workbench.ts) on the SVG preview.
    await openPreview(svg);
    // The key goes to the workbench once the tab has the focus (a key pressed while the preview's page
    // is focused can be lost, and a person presses again), so press it up to three times.
    const refusal = '.notifications-toasts:has-text("icon.svg is not a PNG, JPEG or WebP image; only those can be upscaled.")';
    await openMenu([{ click: '.tabs-container .tab:has-text("icon.svg")' }, { press: 'Control+Alt+U' }], refusal);
    await ui([{ screenshot: 'refusal-svg' }]);
    assert.equal(emulator.stats.submits, 0, 'nothing was sent');
  });
});
