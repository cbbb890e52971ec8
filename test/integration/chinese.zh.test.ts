import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Emulator } from '../emulator/server';
import { screenshot, ui } from '../support/handshake';
import { activate, panel, startEmulator, upscale, workspaceFile } from './helpers';

/** Runs in a VS Code started with `--locale zh-cn` and a language pack (see test/runners/workbench.ts). */
describe('In Chinese', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator();
    await activate();
  });

  after(() => emulator.stop());

  it('runs in a VS Code whose display language is Chinese', () => {
    assert.equal(vscode.env.language, 'zh-cn');
  });

  it('shows the command titles in Chinese', async () => {
    await ui([
      { press: 'F1' },
      { waitFor: '.quick-input-widget .quick-input-box input' },
      { type: 'Ideogram' },
      { waitFor: '.quick-input-widget .quick-input-list-row:has-text("Ideogram: 使用 Ideogram 放大…")' },
      { waitFor: '.quick-input-widget .quick-input-list-row:has-text("Ideogram: 设置 Ideogram 放大")' },
      { screenshot: 'zh-command-palette' },
      { press: 'Escape' },
    ]);
  });

  it('shows the panel in Chinese', async () => {
    const summary = await upscale([workspaceFile('assets/logo.png')], { params: 'defaults', output: 'ask' });
    assert.equal(summary?.jobs[0].state, 'done');
    await ui([
      { waitFor: `${panel.card('logo.png')} .badge:has-text("完成")`, frame: 'panel' },
      { waitFor: panel.button('logo.png', '替换原图'), frame: 'panel' },
      { waitFor: `${panel.card('logo.png')} .params:has-text("相似度 50")`, frame: 'panel' },
      { waitFor: '#toolbar button:has-text("并排对比")', frame: 'panel' },
      { sleep: 500 },
    ]);
    await screenshot('zh-panel');
  });

  it('says what went wrong in Chinese', async () => {
    emulator.reset({ key: 'sk-test-0123456789abcdef', fault: 'unauthorized' });
    const summary = await upscale([workspaceFile('assets/photo.jpg')], { params: 'defaults', output: 'ask' });
    assert.match(summary?.jobs[0].error ?? '', /服务不接受此 API 密钥（HTTP 401/);
    assert.match(summary?.jobs[0].error ?? '', /请检查 API 密钥/);
  });
});
