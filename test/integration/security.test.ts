import * as assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { Emulator } from '../emulator/server';
import { env, ui } from '../support/handshake';
import { activate, exists, panel, sha256, startEmulator, testKey, until, upscale, workspaceFile } from './helpers';

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
    const long = await upscale([workspaceFile('assets/logo.png')], { params: { prompt: 'x'.repeat(2001) } });
    assert.equal(long, undefined, 'no job was started');
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
