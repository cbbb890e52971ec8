import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Emulator } from '../emulator/server';
import { env, ui } from '../support/handshake';
import { activate, decodeFile, roomForToasts, startEmulator, testKey, upscale, workspaceFile } from './helpers';

const config = () => vscode.workspace.getConfiguration('ideogramUpscale');

/** A gateway that answers task queries at its own path, set in "ideogramUpscale.taskQueryPath". */
describe('Task queries at the path the settings name', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator({ shape: 'task', taskMs: 200, taskPath: '/v1/tasks/{task_id}/status' });
    await activate();
  });

  after(async () => {
    await config().update('taskQueryPath', undefined, vscode.ConfigurationTarget.Global);
    await emulator?.stop();
  });

  it('polls a task at a non-default taskQueryPath and saves its result', async () => {
    await config().update('taskQueryPath', '/v1/tasks/{task_id}/status', vscode.ConfigurationTarget.Global);
    const summary = await upscale([workspaceFile('assets/logo.png')], { params: 'defaults', output: 'nextToOriginal' });
    assert.equal(summary?.jobs[0].state, 'done', summary?.jobs[0].error);
    assert.ok(emulator.stats.taskQueries >= 1, 'the task was polled');
    const saved = vscode.Uri.parse(summary!.jobs[0].saved[0]);
    assert.equal((await decodeFile(saved)).width, 256);
    await vscode.workspace.fs.delete(saved);
  });

  it('a task query answered 404 names "ideogramUpscale.taskQueryPath", not the address', async function () {
    emulator.reset({ key: testKey, shape: 'task', taskMs: 200, taskPath: '/v1/tasks/{task_id}/status' });
    await config().update('taskQueryPath', undefined, vscode.ConfigurationTarget.Global); // the default, which this gateway does not answer
    await roomForToasts();
    const summary = await upscale([workspaceFile('assets/logo.png')], { params: 'defaults', output: 'ask' });
    const error = summary?.jobs[0].error ?? '';
    assert.equal(summary?.jobs[0].state, 'failed');
    assert.match(error, /HTTP 404/);
    assert.match(error, /"ideogramUpscale\.taskQueryPath"/);
    assert.doesNotMatch(error, /baseUrl/);
    assert.equal(emulator.stats.submits, 1, 'the upload, which was taken, is not sent again');
    if (!env.canScreenshot) return;
    await ui([{ waitFor: '.notification-toast:has-text("ideogramUpscale.taskQueryPath")' }, { screenshot: 'task-query-path-404' }]);
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});
