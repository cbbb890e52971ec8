import * as assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Emulator } from '../emulator/server';
import { env, ui } from '../support/handshake';
import { activate, decodeFile, exists, panel, sha256, startEmulator, testKey, until, upscale, workspaceFile } from './helpers';

const config = () => vscode.workspace.getConfiguration('ideogramUpscale');

describe('Bad input is refused before anything is uploaded', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator();
    await activate();
    const dir = workspaceFile('bad').fsPath;
    await mkdir(`${dir}/folder.png`, { recursive: true });
    await writeFile(`${dir}/empty.png`, new Uint8Array(0));
    await vscode.workspace.fs.copy(workspaceFile('assets/photo.jpg'), workspaceFile('bad/jpeg-named.png'), { overwrite: true });
    await writeFile(`${dir}/anim.gif`, Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'));
    await writeFile(`${dir}/old.bmp`, Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)]));
    await writeFile(`${dir}/icon.svg`, '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
  });

  after(() => emulator.stop());
  beforeEach(() => emulator.reset({ key: testKey }));

  const refused: [string, string, RegExp][] = [
    ['an empty file', 'bad/empty.png', /empty/],
    ['a file whose bytes are not what its name says', 'bad/jpeg-named.png', /holds JPEG data, not what its name says/],
    ['a GIF', 'bad/anim.gif', /GIF image; the service takes PNG, JPEG and WebP/],
    ['a BMP', 'bad/old.bmp', /BMP image; the service takes PNG, JPEG and WebP/],
    ['an SVG', 'bad/icon.svg', /SVG image; the service takes PNG, JPEG and WebP/],
    ['a file that cannot be read', 'bad/missing.png', /cannot be read/],
    ['a folder', 'bad/folder.png', /is a folder/],
  ];
  for (const [what, path, message] of refused) {
    it(`refuses ${what}`, async () => {
      const summary = await upscale([workspaceFile(path)], { params: 'defaults', output: 'nextToOriginal' });
      assert.equal(summary?.jobs[0].state, 'failed');
      assert.match(summary?.jobs[0].error ?? '', message);
      assert.equal(emulator.stats.submits, 0, 'nothing was uploaded');
    });
  }

  it('refuses a file over the size limit of the setting', async () => {
    await config().update('maxUploadMB', 0.005, vscode.ConfigurationTarget.Global);
    try {
      const summary = await upscale([workspaceFile('assets/logo.png')], { params: 'defaults' });
      assert.match(summary?.jobs[0].error ?? '', /over the 0\.005 MB limit/);
      assert.equal(emulator.stats.submits, 0);
    } finally {
      await config().update('maxUploadMB', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('refuses a prompt that is too long and parameters out of range in settings', async () => {
    await assert.rejects(Promise.resolve(upscale([workspaceFile('assets/logo.png')], { params: { prompt: 'x'.repeat(2001) } })), /the prompt is longer than 2000 characters; nothing was sent/);
    await config().update('defaults.resemblance', 150, vscode.ConfigurationTarget.Global);
    try {
      const outOfRange = await upscale([workspaceFile('assets/logo.png')], { params: 'defaults' });
      assert.equal(outOfRange, undefined, 'no job was started');
    } finally {
      await config().update('defaults.resemblance', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal(emulator.stats.submits, 0);
  });
});

describe('The key and the workspace', () => {
  let emulator: Emulator;
  let rogue: Emulator;

  before(async () => {
    emulator = await startEmulator();
    rogue = new Emulator();
    await rogue.start(0, '127.0.0.3');
    await activate();
  });

  after(async () => {
    await vscode.workspace.getConfiguration('ideogramUpscale').update('baseUrl', undefined, vscode.ConfigurationTarget.Workspace).then(undefined, () => undefined);
    await vscode.workspace.fs.delete(workspaceFile('.vscode'), { recursive: true }).then(undefined, () => undefined);
    await emulator.stop();
    await rogue.stop();
  });

  it('ignores a workspace setting that points the key elsewhere', async () => {
    await config().update('baseUrl', rogue.url, vscode.ConfigurationTarget.Workspace).then(undefined, async () => {
      // VS Code refuses to write an application setting into the workspace: write the file as a cloned repository would have it.
      await mkdir(workspaceFile('.vscode').fsPath, { recursive: true });
      await writeFile(workspaceFile('.vscode/settings.json').fsPath, JSON.stringify({ 'ideogramUpscale.baseUrl': rogue.url }));
    });
    await until('the workspace setting is in place', () => config().inspect<string>('baseUrl')?.workspaceValue === rogue.url, 5000).catch(() => undefined);
    emulator.reset({ key: testKey });
    const summary = await upscale([workspaceFile('assets/banner.webp')], { params: 'defaults' });
    assert.equal(summary?.jobs[0].state, 'done');
    assert.equal(rogue.stats.submits, 0, 'the workspace\'s address received nothing');
    assert.equal(emulator.stats.submits, 1, 'the user\'s own address was used');
  });

  it('refuses plain http to any host but this machine', async () => {
    const user = config().inspect<string>('baseUrl')?.globalValue;
    await config().update('baseUrl', 'http://gateway.example', vscode.ConfigurationTarget.Global);
    try {
      const summary = await upscale([workspaceFile('assets/banner.webp')], { params: 'defaults' });
      assert.equal(summary, undefined, 'nothing was sent');
    } finally {
      await config().update('baseUrl', user, vscode.ConfigurationTarget.Global);
    }
  });

  it('keeps the key in secret storage only, never in settings', async () => {
    const settings = JSON.stringify(vscode.workspace.getConfiguration().inspect('ideogramUpscale'));
    assert.ok(!settings.includes(testKey));
    if (env.userDataDir) {
      const { readFile } = await import('node:fs/promises');
      assert.ok(!(await readFile(`${env.userDataDir}/User/settings.json`, 'utf8')).includes(testKey));
    }
  });

  it('ignores forged messages from the panel page: unknown ids, paths, wrong types', async function () {
    if (!env.canScreenshot) this.skip();
    emulator.reset({ key: testKey });
    await vscode.workspace.fs.copy(workspaceFile('assets/logo.png'), workspaceFile('forged/logo.png'), { overwrite: true });
    const logo = workspaceFile('forged/logo.png');
    const original = await sha256(logo);
    const summary = await upscale([logo], { params: 'defaults', output: 'ask' });
    const jobId = summary?.jobs[0].id ?? '';
    await ui([{ waitFor: panel.card('logo.png'), frame: 'panel' }]);
    const forged = [
      { type: 'result', action: 'replace', jobId: 'no-such-job', resultId: 'r0' },
      { type: 'result', action: 'replace', jobId, resultId: 'r9' },
      { type: 'result', action: 'replace', jobId: logo.fsPath, resultId: 'r0' },
      { type: 'result', action: 'saveNext', jobId: '../../etc', resultId: '../passwd' },
      { type: 'result', action: 'writeFile', jobId, resultId: 'r0', path: '/tmp/ideogram-forged-write' },
      { type: 'result', action: 'replace', jobId: 42, resultId: ['r0'] },
      { type: 'cancel', jobId: { toString: 1 } },
      'replace',
      null,
    ];
    // The same channel the page's own script uses; a genuine message last shows the channel works.
    const genuine = { type: 'result', action: 'saveNext', jobId, resultId: 'r0' };
    const script = [...forged, genuine].map((m) => `window.__vscode_post_message__('onmessage', { message: ${JSON.stringify(m)} });`).join('\n');
    await ui([{ evaluate: script, frame: 'panel' }]);
    await until('the genuine message was carried out', () => exists(workspaceFile('forged/logo@upscaled.png')));
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await sha256(logo), original, 'the original is untouched');
    assert.deepEqual((await readdir(workspaceFile('forged').fsPath)).sort(), ['logo.png', 'logo@upscaled.png'], 'only the genuine message wrote a file');
    assert.ok(!(await exists(vscode.Uri.file('/tmp/ideogram-forged-write'))));
  });
});

describe('What a replace may write: links, odd names, callers of the command', () => {
  let emulator: Emulator;
  let outside: string;
  const run = (uri: vscode.Uri, options: object) => Promise.resolve(vscode.commands.executeCommand('ideogramUpscale.upscale', uri, [uri], options));

  before(async () => {
    emulator = await startEmulator();
    await activate();
    outside = await mkdtemp(join(tmpdir(), 'ideogram-outside-'));
    await writeFile(join(outside, 'shared.png'), await readFile(workspaceFile('assets/logo.png').fsPath));
    await mkdir(workspaceFile('links').fsPath, { recursive: true });
    await vscode.workspace.fs.copy(workspaceFile('assets/logo.png'), workspaceFile('links/target.png'), { overwrite: true });
    await symlink('target.png', workspaceFile('links/inside.png').fsPath).catch(() => undefined);
    await symlink(join(outside, 'shared.png'), workspaceFile('links/outside.png').fsPath).catch(() => undefined);
  });
  after(() => emulator.stop());
  beforeEach(() => emulator.reset({ key: testKey }));

  it('replaces the file a link shows when its target is inside the workspace, and undoes it there, the link kept', async () => {
    const link = workspaceFile('links/inside.png');
    const target = workspaceFile('links/target.png');
    const original = await sha256(target);
    const summary = await upscale([link], { params: 'defaults', output: 'replace' });
    assert.equal(summary?.jobs[0].replaced, true, summary?.jobs[0].error);
    assert.ok((await lstat(link.fsPath)).isSymbolicLink(), 'the link is still a link');
    assert.notEqual(await sha256(target), original, 'its target holds the result');
    await vscode.commands.executeCommand('ideogramUpscale.undoReplace');
    assert.equal(await sha256(target), original, 'undo put the original back in the target');
    assert.ok((await lstat(link.fsPath)).isSymbolicLink());
  });

  it('refuses to replace through a link whose target is outside the workspace, before anything is sent', async () => {
    const before = await sha256(vscode.Uri.file(join(outside, 'shared.png')));
    await assert.rejects(run(workspaceFile('links/outside.png'), { params: 'defaults', output: 'replace' }), /outside\.png is a link to .*shared\.png, outside the workspace folders, so it was not replaced\. Use "Save next to original"/);
    assert.equal(emulator.stats.submits, 0);
    assert.equal(await sha256(vscode.Uri.file(join(outside, 'shared.png'))), before, 'the file outside is untouched');
    assert.ok((await lstat(workspaceFile('links/outside.png').fsPath)).isSymbolicLink());
  });

  it('refuses that replace when it is asked for from the panel, after the upscale', async function () {
    if (!env.canScreenshot) this.skip();
    const shared = vscode.Uri.file(join(outside, 'shared.png'));
    const before = await sha256(shared);
    const summary = await upscale([workspaceFile('links/outside.png')], { params: 'defaults', output: 'ask' });
    assert.equal(summary?.jobs[0].state, 'done');
    await ui([
      { click: `${panel.card('outside.png')}:first-of-type >> role=button[name="Replace original"]`, frame: 'panel' },
      { waitFor: `${panel.card('outside.png')}:first-of-type .alert:has-text("outside the workspace folders, so it was not replaced")`, frame: 'panel' },
    ]);
    assert.equal(await sha256(shared), before, 'the file outside is untouched');
    assert.ok((await lstat(workspaceFile('links/outside.png').fsPath)).isSymbolicLink());
  });

  it('takes file names with spaces, #, %, unicode and a leading dash through upload, save and replace', async () => {
    const names = ['with space.png', '#hash.png', '100%.png', '图标 ünï.png', '-dash.png'];
    await mkdir(workspaceFile('names').fsPath, { recursive: true });
    const uris = names.map((n) => workspaceFile(`names/${n}`));
    for (const uri of uris) await vscode.workspace.fs.copy(workspaceFile('assets/logo.png'), uri, { overwrite: true });
    const original = await sha256(uris[0]);
    const saved = await upscale(uris, { params: 'defaults', output: 'nextToOriginal' });
    assert.deepEqual(saved?.jobs.map((j) => j.error), names.map(() => undefined));
    assert.deepEqual(Object.keys(emulator.stats.acceptedByName).sort(), [...names].sort(), 'each name arrived as it is');
    for (const name of names) assert.ok(await exists(workspaceFile(`names/${name.replace(/\.png$/, '@upscaled.png')}`)), `${name} saved beside`);
    const replaced = await upscale(uris, { params: 'defaults', output: 'replace' });
    assert.deepEqual(replaced?.jobs.map((j) => j.replaced), names.map(() => true), JSON.stringify(replaced?.jobs.map((j) => j.error)));
    for (const uri of uris) {
      assert.notEqual(await sha256(uri), original);
      assert.ok((await decodeFile(uri)).width > 0);
    }
  });

  it('refuses, for callers of the command, a replace outside the workspace folders and options out of range', async () => {
    const loose = vscode.Uri.file(join(outside, 'shared.png'));
    const before = await sha256(loose);
    const logo = workspaceFile('assets/logo.png');
    await assert.rejects(run(loose, { params: 'defaults', output: 'replace' }), /shared\.png is outside the workspace folders, so it was not replaced.* Nothing was sent/);
    await assert.rejects(run(logo, { params: { resemblance: 500 } }), /ideogramUpscale\.upscale: in "params", resemblance must be a whole number from 1 to 100; nothing was sent/);
    await assert.rejects(run(logo, { params: { numImages: 9 } }), /numImages must be a whole number from 1 to 8/);
    await assert.rejects(run(logo, { params: { seed: -1 } }), /seed must be a whole number from 0 to 2147483647/);
    await assert.rejects(run(logo, { params: { prompt: 42 } }), /"params\.prompt" must be text/);
    await assert.rejects(run(logo, { params: 'newest' }), /"params" must be an object, "defaults" or "last", not "newest"/);
    await assert.rejects(run(logo, { output: 'overwrite' }), /"output" must be "ask", "nextToOriginal" or "replace", not "overwrite"/);
    assert.equal(emulator.stats.submits, 0, 'nothing was sent');
    assert.equal(await sha256(loose), before);
  });
});
