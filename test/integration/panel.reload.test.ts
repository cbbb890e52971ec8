import * as assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Emulator } from '../emulator/server';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { env, report, screenshot, ui } from '../support/handshake';
import { lastingEmulatorInfo, lastingEmulatorStats, stopLastingEmulator } from '../support/lastingEmulator';
import { loadFailing, loadFixture, loadName, loadRun } from '../support/loadRun';
import { activate, decodeFile, panel, resultsPanelTabs, sha256, startEmulator, until, upscale, workspaceFile } from './helpers';

/** Runs after the runner reloaded the window at the end of the first phase. */
describe('After a window reload', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator();
    await activate();
  });

  after(() => emulator.stop());

  it('the results panel is restored with its earlier results', async () => {
    await until('the results panel is back', () => resultsPanelTabs().length === 1);
    await ui([{ waitFor: `${panel.card('photo.jpg')}.state-done`, frame: 'panel', timeoutMs: 30_000 }, { waitFor: `${panel.card('banner.webp')}.state-done`, frame: 'panel' }]);
    await screenshot('panel-after-reload');
  });

  it('resumes the run of 200 images, from a card and from the notification: each ends saved or failed, none uploaded twice', async function () {
    const info = lastingEmulatorInfo(env.outDir);
    if (!existsSync(info)) this.skip();
    const config = vscode.workspace.getConfiguration('ideogramUpscale');
    // The run goes on against the service that has its tasks (the emulator that outlived the reload).
    await config.update('baseUrl', (JSON.parse(await readFile(info, 'utf8')) as { url: string }).url, vscode.ConfigurationTarget.Global);
    const folder = workspaceFile(loadRun.folder).fsPath;
    const savedNames = async () => (await readdir(folder)).filter((f) => f.includes('@upscaled') && !f.startsWith('.'));
    this.timeout(300_000);
    try {
      // A card whose task the service has offers Resume, not Run again (which would bill it anew).
      const card = 'section.job.state-failed:has(button[data-action="resume"])';
      await ui([
        { waitFor: card, frame: 'panel', timeoutMs: 30_000 },
        { countOf: `${card} >> nth=0 >> role=button[name="Run again"]`, frame: 'panel', file: 'resume-card-run-again.txt' },
        { textOf: `${card} >> nth=0 >> .badge`, frame: 'panel', file: 'resume-card-badge.txt' },
        { click: `${card} >> nth=0 >> role=button[name="Resume"]`, frame: 'panel' },
      ]);
      assert.equal(await readFile(join(env.outDir, 'resume-card-run-again.txt'), 'utf8'), '0');
      // It did not fail at the service: its badge says it was interrupted.
      assert.equal((await readFile(join(env.outDir, 'resume-card-badge.txt'), 'utf8')).trim(), 'Interrupted');
      // The rest from the notification that offers the whole run.
      await vscode.commands.executeCommand('notifications.showList');
      const offer = `.notifications-center .notification-list-item:has-text("Upscale of ${loadRun.folder}/ was interrupted")`;
      await ui([{ waitFor: offer, timeoutMs: 30_000 }, { textOf: offer, file: 'resume-offer.txt' }, { screenshot: 'resume-offer' }, { click: `${offer} .monaco-button:has-text("Resume")` }]);
      const left = Number(/(\d+) of 200 left/.exec(await readFile(join(env.outDir, 'resume-offer.txt'), 'utf8'))?.[1]);
      // Images whose upload was under way when the window closed may have been billed without an
      // answer: they are not sent again, so at most the in-flight window of them ends unsaved too.
      const expected = loadRun.count - loadFailing.length;
      await until('the run has ended', async () => {
        const before = (await savedNames()).length;
        await new Promise((r) => setTimeout(r, 3000));
        return before >= expected - 10 && (await savedNames()).length === before;
      }, 180_000);
      const saved = await savedNames();
      const stats = lastingEmulatorStats(info);
      const twice = Object.values(stats.acceptedByName).filter((n) => n > 1).length;
      // Every copy is a whole image at twice the size, and every original is as it was.
      let damaged = 0;
      for (let i = 0; i < loadRun.count; i++) {
        const original = vscode.Uri.file(join(folder, loadName(i)));
        if ((await sha256(original)) !== (await sha256(workspaceFile(`assets/${loadFixture(i)}`)))) damaged++;
        const copy = saved.find((f) => f === loadName(i).replace(/\.(\w+)$/, '@upscaled.$1'));
        if (!copy) continue;
        const [a, b] = [await decodeFile(original), await decodeFile(vscode.Uri.file(join(folder, copy)))];
        if (b.width !== a.width * 2 || b.height !== a.height * 2) damaged++;
      }
      const doubled = saved.filter((f) => /@upscaled-\d+\./.test(f));
      const unsaved = Array.from({ length: loadRun.count }, (_, i) => i).filter((i) => !saved.includes(loadName(i).replace(/\.(\w+)$/, '@upscaled.$1')));
      // Each image without a result says why on its card.
      const billed = unsaved.filter((i) => !loadFailing.includes(i));
      await ui([
        ...unsaved.map((i) => ({ countOf: `section.job[aria-label="${loadName(i)}"].state-failed .alert-message`, frame: 'panel' as const, file: `unsaved-${i}.txt` })),
        ...billed.map((i) => ({ countOf: `section.job[aria-label="${loadName(i)}"].state-failed:has-text("may have been billed")`, frame: 'panel' as const, file: `billed-${i}.txt` })),
      ]);
      const told = async (file: string) => Number(await readFile(join(env.outDir, file), 'utf8')) > 0;
      const untold = [];
      for (const i of unsaved) if (!(await told(`unsaved-${i}.txt`))) untold.push(i);
      for (const i of billed) if (!(await told(`billed-${i}.txt`))) untold.push(i);
      report(`batch: ${loadRun.count} images, ${saved.length} saved, ${unsaved.length} failed clearly (${billed.length} of them cut off mid-upload by the reload), ${left} resumed after reload, ${twice} uploaded twice, ${damaged} damaged, max in flight ${stats.maxInFlight}/10`);
      assert.deepEqual(untold.map(loadName), [], 'every image without a result says why (and those cut off at the reload, that they may have been billed)');
      assert.ok(loadFailing.every((i) => unsaved.includes(i)), 'the images whose faults cannot be retried end without a result');
      assert.ok(billed.length <= 10, `at most the in-flight window was cut off mid-upload (${billed.length})`);
      assert.equal(twice, 0, 'no image uploaded twice');
      assert.deepEqual(doubled, [], 'no image saved twice');
      assert.equal(damaged, 0);
      assert.ok(stats.maxInFlight <= 10, `in flight at most 10 (saw ${stats.maxInFlight})`);
      assert.ok(left > 0, 'the run was interrupted with images left');
    } finally {
      stopLastingEmulator(info);
      await config.update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
      await config.update('baseUrl', emulator.url, vscode.ConfigurationTarget.Global);
    }
  });

  it('"Same as last time" still holds the parameters chosen before the reload', async () => {
    const expected = JSON.parse(await readFile(join(env.outDir, 'last-params.json'), 'utf8')) as Record<string, unknown>;
    const summary = await upscale([workspaceFile('assets/banner.webp')], { params: 'last', output: 'ask' });
    assert.equal(summary?.jobs[0].state, 'done');
    assert.deepEqual(emulator.stats.lastImageRequest, expected);
  });
});
