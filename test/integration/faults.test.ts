import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { UpscaleSummary } from '../../src/commands/upscale';
import { Emulator, EmulatorOptions } from '../emulator/server';
import { FaultName } from '../emulator/faults';
import { env, report, ui } from '../support/handshake';
import { activate, panel, startEmulator, testKey, until, upscale, workspaceFile } from './helpers';
import { isNetworkFault, NetworkFault, networkFaults } from './networkFaults';

interface Case {
  fault: FaultName | NetworkFault;
  /** What the user must read: the cause, in the words of the message. */
  cause: RegExp;
  /** The next step the message must name. */
  next: RegExp;
  /** Uploads the service may see: more than one only where a retry cannot have been charged. */
  uploads: number;
  emulator?: Partial<EmulatorOptions>;
  /** The gateway gave a request id that the message must carry. */
  requestId?: boolean;
}

const key = /Set API Key/;
const retry = /try again|run the upscale again/i;
const cases: Case[] = [
  { fault: 'unauthorized', cause: /did not accept the API key \(HTTP 401/, next: key, uploads: 1, requestId: true },
  { fault: 'forbidden', cause: /did not accept the API key \(HTTP 403/, next: key, uploads: 1, requestId: true },
  { fault: 'paymentRequired', cause: /no balance left \(HTTP 402/, next: /Top up/, uploads: 1, requestId: true },
  { fault: 'insufficientBalance', cause: /no balance left.*insufficient user quota/, next: /Top up/, uploads: 1, requestId: true },
  { fault: 'tooLarge', cause: /too large for the service \(HTTP 413/, next: /smaller image/, uploads: 1, requestId: true },
  { fault: 'safetyRefusal', cause: /refused the image on safety grounds \(HTTP 422/, next: /another image/, uploads: 1, requestId: true },
  { fault: 'rateLimited', cause: /limiting requests \(HTTP 429/, next: /Wait a minute/, uploads: 3, requestId: true },
  { fault: 'rateLimitedNoRetryAfter', cause: /limiting requests \(HTTP 429/, next: /Wait a minute/, uploads: 3, requestId: true },
  { fault: 'serverError', cause: /service failed \(HTTP 500/, next: retry, uploads: 1, requestId: true },
  { fault: 'badGateway', cause: /service failed \(HTTP 502/, next: retry, uploads: 1 },
  { fault: 'unavailable', cause: /service failed \(HTTP 503/, next: retry, uploads: 1, requestId: true },
  { fault: 'unavailableRetryAfter', cause: /service failed \(HTTP 503/, next: retry, uploads: 3, requestId: true },
  { fault: 'redirectedUpload', cause: /answered the upload with a redirect, so nothing was upscaled/, next: /baseUrl/, uploads: 1 },
  { fault: 'resetWhileUploading', cause: /Could not reach the service|connection/i, next: /connection and proxy/, uploads: 1 },
  { fault: 'noAnswer', cause: /did not answer within 5 s/, next: /requestTimeoutSeconds/, uploads: 1 },
  { fault: 'notJson', cause: /body that is not JSON/, next: /baseUrl/, uploads: 1 },
  { fault: 'nonZeroCode', cause: /refused the request: image_request: invalid parameter/, next: /parameters/, uploads: 1, requestId: true },
  { fault: 'taskFailed', cause: /task failed: upscale failed: image could not be processed/, next: /other parameters/, uploads: 1, emulator: { shape: 'task' }, requestId: true },
  { fault: 'taskNeverEnds', cause: /did not finish within 10 s/, next: /taskTimeoutSeconds/, uploads: 1, emulator: { shape: 'task' }, requestId: true },
  { fault: 'resultNotFound', cause: /result link no longer works \(HTTP 404/, next: retry, uploads: 1 },
  { fault: 'resultNotImage', cause: /not a PNG, JPEG or WebP image/, next: retry, uploads: 1 },
  { fault: 'resultHuge', cause: /more than any upscale can be/, next: retry, uploads: 1 },
  { fault: 'redirectLoop', cause: /redirected more than 5 times/, next: retry, uploads: 1 },
  { fault: 'unsafe', cause: /withheld the result as unsafe/, next: /another image/, uploads: 1 },
  { fault: 'proxyAsksForCredentials', cause: /proxy asked for authentication \(HTTP 407\), so nothing reached the service/, next: /"http\.proxy".*VS Code asks for the proxy's credentials/, uploads: 0 },
  { fault: 'untrustedCertificate', cause: /TLS certificate is not trusted \(\w+\), so nothing was sent/, next: /"http\.systemCertificates"/, uploads: 0 },
];

/** Every file of the workspace with its hash: what a fault must leave exactly as it was. */
async function snapshot(): Promise<Map<string, string>> {
  const root = workspaceFile('').fsPath;
  const files = new Map<string, string>();
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.set(path.slice(root.length), createHash('sha256').update(await readFile(path)).digest('hex'));
    }
  };
  await walk(root);
  return files;
}

function damaged(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed = [...after].filter(([path, hash]) => before.get(path) !== hash).map(([path]) => path);
  const removed = [...before.keys()].filter((path) => !after.has(path));
  return [...changed, ...removed];
}

/** Every text the extension wrote where a user (or a log collector) can see it. */
async function everythingShown(summaries: UpscaleSummary[]): Promise<string> {
  const texts = [JSON.stringify(summaries)];
  if (env.userDataDir) {
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (/\.(log|json)$/.test(entry.name) && (await stat(path)).size < 20_000_000) texts.push(await readFile(path, 'utf8'));
      }
    };
    await walk(join(env.userDataDir, 'logs'));
    await walk(join(env.userDataDir, 'User'));
  }
  if (env.canScreenshot) {
    await ui([
      { textOf: 'body', frame: 'panel', file: 'panel-text.txt' },
      { textOf: '.notifications-toasts', file: 'notifications-text.txt' },
    ]);
    texts.push(await readFile(join(env.outDir, 'panel-text.txt'), 'utf8'), await readFile(join(env.outDir, 'notifications-text.txt'), 'utf8'));
  }
  return texts.join('\n');
}

describe('Faults of the service: each answered clearly, nothing damaged, nothing sent twice, the key kept secret', function () {
  let emulator: Emulator;
  const summaries: UpscaleSummary[] = [];
  const tally = { injected: 0, clear: 0, damaged: 0, duplicates: 0 };

  before(async () => {
    emulator = await startEmulator();
    await activate();
    const config = vscode.workspace.getConfiguration('ideogramUpscale');
    await config.update('requestTimeoutSeconds', 5, vscode.ConfigurationTarget.Global);
    await config.update('taskTimeoutSeconds', 10, vscode.ConfigurationTarget.Global);
    await vscode.workspace.fs.copy(workspaceFile('assets/logo.png'), workspaceFile('faults/logo.png'), { overwrite: true });
    await vscode.workspace.fs.copy(workspaceFile('assets/photo.jpg'), workspaceFile('faults/photo.jpg'), { overwrite: true });
  });

  after(async () => {
    const config = vscode.workspace.getConfiguration('ideogramUpscale');
    await config.update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await config.update('taskTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await emulator.stop();
  });

  let undoNetwork: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await undoNetwork?.();
    undoNetwork = undefined;
  });

  for (const c of cases) {
    it(`${c.fault}: says what happened and what to do, and changes no file`, async () => {
      emulator.reset({ key: testKey, ...c.emulator, fault: isNetworkFault(c.fault) ? undefined : c.fault });
      if (isNetworkFault(c.fault)) undoNetwork = await networkFaults[c.fault]();
      const before = await snapshot();
      const summary = await upscale([workspaceFile('faults/logo.png')], { params: 'defaults', output: 'nextToOriginal' });
      assert.ok(summary);
      summaries.push(summary);
      tally.injected++;
      const job = summary.jobs[0];
      assert.equal(job.state, 'failed');
      const message = job.error ?? '';
      assert.match(message, c.cause);
      assert.match(message, c.next);
      if (c.requestId) assert.match(message, /\(request id [\w-]+\)/);
      tally.clear++;
      const harmed = damaged(before, await snapshot());
      tally.damaged += harmed.length;
      assert.deepEqual(harmed, [], 'no file of the workspace was created, changed or removed');
      const extra = Math.max(0, emulator.stats.submits - c.uploads);
      tally.duplicates += extra;
      assert.equal(emulator.stats.submits, c.uploads, 'uploads the service saw');
    });
  }

  it('a retried 429 that then passes saves the result; the other job of the batch goes on after a failure', async () => {
    emulator.reset({ key: testKey, fault: 'rateLimited', faultTimes: 1 });
    const first = await upscale([workspaceFile('faults/logo.png')], { params: 'defaults', output: 'nextToOriginal' });
    assert.equal(first?.jobs[0].state, 'done');
    assert.equal(emulator.stats.submits, 2, 'one refused upload, one retry');
    emulator.reset({ key: testKey, shape: 'task', taskMs: 200, fault: 'serverError', faultTimes: 1 });
    const batch = await upscale([workspaceFile('faults/photo.jpg'), workspaceFile('faults/logo.png')], { params: 'defaults', output: 'ask' });
    assert.deepEqual(batch?.jobs.map((j) => j.state).sort(), ['done', 'failed']);
  });

  it('shows the first failure of a batch in a notification, offering to set the key again on a 401', async function () {
    if (!env.canScreenshot) this.skip();
    emulator.reset({ key: testKey, fault: 'unauthorized' });
    await upscale([workspaceFile('faults/logo.png')], { params: 'defaults', output: 'nextToOriginal' });
    await ui([
      { waitFor: '.notification-toast:has-text("did not accept the API key") .monaco-button:has-text("Set API Key")' },
      { screenshot: 'fault-notification' },
      { textOf: `${panel.card('logo.png')}.state-failed .alert`, frame: 'panel', file: 'failed-card.txt' },
    ]);
    // The newest card comes first; its message carries the request id, and the card says it once.
    const card = await readFile(join(env.outDir, 'failed-card.txt'), 'utf8');
    assert.match(card, /did not accept the API key/);
    const ids = card.match(/req-[0-9a-f]+/g) ?? [];
    assert.equal(ids.length, 1, `the request id once: ${card}`);
  });

  it('runs a failed job again from its card, with the same parameters', async function () {
    if (!env.canScreenshot) this.skip();
    emulator.reset({ key: testKey, fault: 'serverError', faultTimes: 1 });
    const summary = await upscale([workspaceFile('faults/photo.jpg')], { params: { seed: 77 }, output: 'ask' });
    assert.equal(summary?.jobs[0].state, 'failed');
    await ui([{ click: `${panel.card('photo.jpg')}.state-failed >> role=button[name="Run again"]`, frame: 'panel' }]);
    // The emulator notes the parameters once it has read the whole upload (the failed one never got that far).
    await until('the job ran again', () => emulator.stats.lastImageRequest !== undefined);
    assert.equal(emulator.stats.submits, 2);
    assert.equal(emulator.stats.lastImageRequest?.seed, 77);
    // The new job's card comes first (newest first), and earlier runs of photo.jpg are done too.
    await ui([{ waitFor: `${panel.card('photo.jpg')}:first-of-type.state-done`, frame: 'panel' }]);
  });

  it('never shows or logs the key, and logs each request', async () => {
    const shown = await everythingShown(summaries);
    const leaks = shown.split(testKey).length - 1;
    report(`      faults: ${tally.injected} injected, ${tally.clear} answered clearly, files damaged ${tally.damaged}, duplicate uploads ${tally.duplicates}, key leaks ${leaks}`);
    assert.equal(leaks, 0);
    if (env.userDataDir) assert.match(shown, /POST \/ideogram\/upscale 401 request-id=/, 'the log names method, path, status and request id');
    assert.equal(tally.injected, cases.length);
  });
});
