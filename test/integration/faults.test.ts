import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { UpscaleSummary } from '../../src/commands/upscale';
import { Emulator } from '../emulator/server';
import { env, report, ui } from '../support/handshake';
import { cases } from './faultCases';
import { damaged, everythingShown, snapshot } from './faultChecks';
import { activate, panel, startEmulator, testKey, until, upscale, workspaceFile } from './helpers';
import { isNetworkFault, networkFaults, settings } from './networkFaults';

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
    it(`${c.name ?? c.fault}: says what happened and what to do, and changes no file`, async () => {
      const around = await c.around?.(emulator);
      if (around) undoNetwork = around.undo;
      emulator.reset({ key: testKey, ...c.emulator, ...around?.emulator, fault: isNetworkFault(c.fault) ? undefined : c.fault });
      if (isNetworkFault(c.fault)) undoNetwork = await networkFaults[c.fault]();
      const before = await snapshot();
      const outcome = c.outcome ?? 'failed';
      const summary = await upscale([workspaceFile('faults/logo.png')], { params: c.params ?? 'defaults', output: c.output ?? (outcome === 'recovered' ? 'ask' : 'nextToOriginal') });
      assert.ok(summary);
      summaries.push(summary);
      tally.injected++;
      const job = summary.jobs[0];
      assert.equal(job.state, outcome === 'failed' ? 'failed' : 'done', job.error);
      const message = job.error ?? '';
      if (outcome === 'recovered') assert.equal(message, '', 'nothing to tell but the result');
      if (c.cause) assert.match(message, c.cause);
      if (c.next) assert.match(message, c.next);
      if (c.requestId) assert.match(message, /\(request id [\w-]+\)/);
      await c.check?.(emulator, summary);
      tally.clear++;
      const harmed = damaged(before, await snapshot());
      tally.damaged += harmed.length;
      assert.deepEqual(harmed, [], 'no file of the workspace was created, changed or removed');
      const extra = Math.max(0, emulator.stats.submits - c.uploads);
      tally.duplicates += extra;
      assert.equal(emulator.stats.submits, c.uploads, 'uploads the service saw');
    });
  }

  it('an inflight_limit refusal lowers the number in flight: the refused wait for room instead of asking again at once', async () => {
    const undo = await settings({ 'ideogramUpscale.maxImagesInFlight': 4 });
    try {
      const names = ['a', 'b', 'c', 'd'].map((n) => `faults/inflight-${n}.png`);
      for (const name of names) await vscode.workspace.fs.copy(workspaceFile('assets/logo.png'), workspaceFile(name), { overwrite: true });
      emulator.reset({ key: testKey, shape: 'task', taskMs: 1500, inflightLimit: 2 });
      const run = await upscale(names.map(workspaceFile), { params: 'defaults', output: 'ask' });
      assert.deepEqual(run?.jobs.map((j) => j.state), ['done', 'done', 'done', 'done'], JSON.stringify(run?.jobs.map((j) => j.error)));
      // Refused: the images sent before the first refusal narrowed the window (one or two, as the
      // uploads happen to go), never one sent after it.
      const refused = emulator.stats.inflightRefusals;
      assert.ok(refused >= 1 && refused <= 2, `only those over the limit before the first refusal were refused (saw ${refused})`);
      assert.ok(emulator.stats.maxInFlight <= 2, `at most 2 in flight at the service (saw ${emulator.stats.maxInFlight})`);
      assert.deepEqual(Object.values(emulator.stats.acceptedByName), [1, 1, 1, 1], 'each taken once');
    } finally {
      await undo();
    }
  });

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
