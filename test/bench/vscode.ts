import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions, startWorkbench } from '../runners/workbench';
import { Figure, judge, KB, ms, round } from './report';
import { benchOut, repoRoot } from './shared';

const timeoutMs = 4 * 60_000;

/**
 * Figures 6 and 7, measured inside a real VS Code with the packaged .vsix installed: the time
 * spent in activate(), and what the results panel was sent for a 32-image batch (vscodeEntry.ts).
 */
export async function vscodeFigures(): Promise<Figure[]> {
  const vsix = join(repoRoot, 'dist', 'ideogram-upscale.vsix');
  if (!existsSync(vsix)) throw new Error('dist/ideogram-upscale.vsix is missing (npm run package)');
  const dir = join(benchOut, 'vscode');
  await mkdir(dir, { recursive: true });
  const outFile = join(dir, 'figures.json');
  await rm(outFile, { force: true });
  const workbench = await startWorkbench({
    workspaceTemplate: join(repoRoot, 'test', 'fixtures', 'workspace'),
    env: { IDEOGRAM_BENCH_FIGURES: outFile },
    vsix,
  });
  const browser = await chromium.launch(chromiumLaunchOptions);
  let r: Record<string, unknown> & { error?: string };
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(workbench.url(join(__dirname, 'vscodeEntry.js')));
    const until = Date.now() + timeoutMs;
    while (!existsSync(outFile)) {
      if (Date.now() > until) {
        await page.screenshot({ path: join(dir, 'timeout.png') }).catch(() => undefined);
        throw new Error(`VS Code did not report within ${timeoutMs / 60_000} minutes (screenshot in bench-output/vscode/timeout.png)`);
      }
      await new Promise((res) => setTimeout(res, 250));
    }
    r = JSON.parse(await readFile(outFile, 'utf8'));
    await page.screenshot({ path: join(dir, 'workbench-end.png') }).catch(() => undefined);
  } finally {
    await browser.close();
    await workbench.stop();
  }
  if (r.error) throw new Error(`inside VS Code: ${r.error}`);
  const v = r as unknown as Measured;
  if (v.done !== v.jobs || v.jobs !== 32) throw new Error(`the batch in VS Code finished ${v.done} of ${v.jobs} images: ${v.firstError}`);
  const messages = v.after.panelMessages - v.before.panelMessages;
  const bytes = v.after.panelBytes - v.before.panelBytes;
  return [
    judge(
      'activation',
      `${ms(v.activateMs)} inside activate() (extension.activate() took ${ms(v.activateCallMs)} end to end, loading dist/extension.js included${v.activeBefore ? '; it was already active' : ''}; VS Code ${v.vscodeVersion}, packaged .vsix)`,
      round(v.activateMs, 1),
      'ms',
      { op: '<', limit: 20 },
      { activateMs: v.activateMs, activateCallMs: v.activateCallMs, activeBefore: v.activeBefore, vscodeVersion: v.vscodeVersion },
    ),
    judge(
      'panel',
      `a 32-image batch posted ${messages} messages, ${round(bytes / KB, 1)} KB to the results panel (${round(messages / v.jobs, 1)} messages, ${round(bytes / v.jobs / KB, 2)} KB per image; batch took ${ms(v.batchMs)})`,
      round(bytes / KB, 1),
      'KB',
      { op: '<', limit: 64 },
      { messages, bytes, before: v.before, after: v.after, jobs: v.jobs, batchMs: v.batchMs, uploads: v.submits },
    ),
  ];
}

interface Measured {
  vscodeVersion: string;
  activeBefore: boolean;
  activateMs: number;
  activateCallMs: number;
  before: { panelMessages: number; panelBytes: number };
  after: { panelMessages: number; panelBytes: number };
  batchMs: number;
  jobs: number;
  done: number;
  firstError?: string;
  submits: number;
}
