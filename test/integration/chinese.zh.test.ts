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
      { waitFor: '.quick-input-widget .quick-input-list-row:has-text("Ideogram: 复制放大摘要")' },
      { screenshot: 'zh-command-palette' },
      // More commands than the list shows at once: the rest are found by a narrower filter.
      { fill: '.quick-input-widget .quick-input-box input', value: '>Ideogram: 设置' },
      { waitFor: '.quick-input-widget .quick-input-list-row:has-text("Ideogram: 设置 Ideogram 放大")' },
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
    // The summary of that run, for a pull request: its headings in Chinese too.
    const markdown = await vscode.commands.executeCommand<string>('ideogramUpscale.copySummary', [summary?.jobs[0].id]);
    const lines = markdown.split('\n');
    assert.equal(lines[0], '| 文件 | 尺寸（宽×高） | 字节数 | 预设或参数 | 种子 | 服务 | 价格 |');
    assert.match(lines[2], /^\| `assets\/logo\.png` \| 128×96 → 256×192 \| .* \| 设置中的默认参数 \| \d+ \| API 中转网关 \| 0\.06 USD \|$/);
    assert.match(lines[3], /^\| \*\*合计：1 张图片\*\* \|/);
    assert.equal(await vscode.env.clipboard.readText(), markdown);
  });

  it('says what went wrong in Chinese', async () => {
    emulator.reset({ key: 'sk-test-0123456789abcdef', fault: 'unauthorized' });
    const summary = await upscale([workspaceFile('assets/photo.jpg')], { params: 'defaults', output: 'ask' });
    assert.match(summary?.jobs[0].error ?? '', /服务不接受此 API 密钥（HTTP 401/);
    assert.match(summary?.jobs[0].error ?? '', /请检查 API 密钥/);
  });
});
