import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Emulator } from '../emulator/server';
import { RecordingProxy } from '../support/proxy';
import { activate, testKey, upscale, workspaceFile } from './helpers';

/**
 * VS Code does not send requests for 127.0.0.1 through a proxy, so the service listens on
 * 127.0.0.2 (loopback too) while the proxy is set in the user's `http.proxy`.
 */
describe('The proxy of VS Code\'s settings', () => {
  let emulator: Emulator;
  let proxy: RecordingProxy;

  before(async () => {
    emulator = new Emulator({ key: testKey });
    await emulator.start(0, '127.0.0.2');
    proxy = new RecordingProxy();
    const proxyUrl = await proxy.start();
    await vscode.workspace.getConfiguration('ideogramUpscale').update('baseUrl', emulator.url, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('http').update('proxy', proxyUrl, vscode.ConfigurationTarget.Global);
    await activate();
  });

  after(async () => {
    await vscode.workspace.getConfiguration('http').update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await emulator.stop();
    await proxy.stop();
  });

  it('carries the upload, the task queries and the downloads', async () => {
    emulator.reset({ key: testKey, shape: 'task', taskMs: 300 });
    const summary = await upscale([workspaceFile('assets/logo.png')], { params: 'defaults', output: 'ask' });
    assert.equal(summary?.jobs[0].state, 'done', summary?.jobs[0].error);
    const host = new URL(emulator.url).host;
    const through = proxy.seen.filter((line) => line.includes(host));
    assert.ok(through.some((l) => l.startsWith('POST') || l.startsWith('CONNECT')), `the upload went through the proxy: ${JSON.stringify(proxy.seen)}`);
    assert.ok(through.some((l) => /GET .*\/files\//.test(l) || l.startsWith('CONNECT')), 'the download went through the proxy');
    assert.equal(emulator.stats.submits, 1);
  });
});
