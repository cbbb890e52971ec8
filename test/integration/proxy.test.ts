import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Emulator } from '../emulator/server';
import { report } from '../support/handshake';
import { RecordingProxy } from '../support/proxy';
import { activate, testKey, until, upscale, workspaceFile } from './helpers';

/**
 * VS Code does not send requests for 127.0.0.1 through a proxy, so the service listens on
 * 127.0.0.2 (loopback too) while the proxy is set in the user's `http.proxy`. VS Code's fetch reads
 * `http.proxySupport` at each request, so each mode is tried in the same window.
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
    await proxySupport(undefined);
    await vscode.workspace.getConfiguration('http').update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await emulator.stop();
    await proxy.stop();
  });

  /**
   * Two results, and a task that takes a few queries: every kind of request, more than once. Each
   * run's task is longer than the last, so the first query (aimed at when the last task ended)
   * comes early and more follow.
   */
  let taskMs = 0;
  async function run(mode: string) {
    await proxySupport(mode);
    proxy.seen.length = 0;
    taskMs += 1200;
    emulator.reset({ key: testKey, shape: 'task', taskMs });
    const summary = await upscale([workspaceFile('assets/logo.png')], { params: { resemblance: 50, detail: 50, magicPrompt: 'AUTO', numImages: 2 }, output: 'ask' });
    const { submits, taskQueries, downloads } = emulator.stats;
    const told = `${JSON.stringify(summary)} ${JSON.stringify(proxy.seen)} ${JSON.stringify(emulator.stats)}`;
    assert.equal(summary?.jobs[0].state, 'done', told);
    assert.deepEqual({ submits, downloads }, { submits: 1, downloads: 2 }, told);
    assert.ok(taskQueries >= 2, `${taskQueries} task queries`);
    return { lines: proxy.requestsTo(emulator.url), taskQueries };
  }

  for (const mode of ['override', 'on', 'fallback']) {
    it(`"http.proxySupport": "${mode}" carries the upload, every task query and every download`, async () => {
      const { lines, taskQueries } = await run(mode);
      const seen = JSON.stringify(proxy.seen);
      assert.equal(lines.filter((l) => l === `POST ${emulator.url}/ideogram/upscale`).length, 1, `the upload: ${seen}`);
      assert.equal(lines.filter((l) => l.startsWith(`GET ${emulator.url}/ideogram/upscale/`)).length, taskQueries, `each task query: ${seen}`);
      assert.equal(lines.filter((l) => l.startsWith(`GET ${emulator.url}/files/`)).length, 2, `each download: ${seen}`);
      assert.equal(lines.length, 1 + taskQueries + 2, `nothing else: ${seen}`);
      report(`      proxy "${mode}": upload 1, task queries ${taskQueries}, downloads 2 through it (${proxy.seen.filter((l) => l.startsWith('CONNECT')).length} tunnels)`);
    });
  }

  it('"http.proxySupport": "off" sends directly', async () => {
    const { taskQueries } = await run('off');
    assert.deepEqual(proxy.seen, [], 'the proxy saw nothing');
    report(`      proxy "off": upload 1, task queries ${taskQueries}, downloads 2, all direct`);
  });
});

/** Set, then seen by this extension host's configuration (which VS Code's fetch reads). */
async function proxySupport(mode: string | undefined): Promise<void> {
  const http = () => vscode.workspace.getConfiguration('http');
  await http().update('proxySupport', mode, vscode.ConfigurationTarget.Global);
  await until(`http.proxySupport is ${mode ?? 'its default'}`, () => http().inspect('proxySupport')?.globalValue === mode);
}
