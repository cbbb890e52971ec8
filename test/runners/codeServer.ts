import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, FrameLocator, Page } from 'playwright-core';
import type { UiStep } from '../support/handshake';
import { chromiumLaunchOptions, repoRoot, startWorkbench } from './workbench';

/**
 * Runs the integration suite inside a real VS Code in headless Chromium, and serves the suite's
 * screenshot requests (see test/support/handshake.ts). Exits non-zero when a test failed or the
 * suite did not finish.
 */
const outDir = join(repoRoot, 'test-output');
const suiteTimeoutMs = 20 * 60_000;

async function main(): Promise<number> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(join(outDir, 'screenshots'), { recursive: true });
  // `npm test` packages first, so the suite runs against the installed .vsix; `--source` loads the
  // repository's folder instead (quicker while working on the code).
  const grepAt = process.argv.indexOf('--grep');
  const grep = grepAt > 0 ? process.argv[grepAt + 1] : undefined;
  const vsix = process.argv.includes('--source') ? undefined : join(repoRoot, 'dist', 'ideogram-upscale.vsix');
  if (vsix && !existsSync(vsix)) throw new Error('dist/ideogram-upscale.vsix is missing: run `npm run package` (npm test does).');
  console.log(vsix ? 'Testing the packaged extension dist/ideogram-upscale.vsix, installed into VS Code' : 'Testing the extension from the repository folder');
  // `--suite main`, `--suite zh` or `--suite scheme` runs one of them while working on it.
  const only = process.argv.includes('--suite') ? process.argv[process.argv.indexOf('--suite') + 1] : undefined;
  const results: PhaseResult[] = [];
  if (only === undefined || only === 'main') results.push(await runSuite('main', grep, vsix));
  // The same extension with VS Code's display language set to Chinese.
  if (only !== 'main' && only !== 'scheme') results.push(await runSuite('zh', grep, vsix));
  // A window whose second workspace folder lives on a file system of the tests' own, not on disk.
  if (only === undefined || only === 'scheme') results.push(await runSuite('scheme', grep, vsix));
  const total = results.reduce((a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, pending: a.pending + r.pending }), { passed: 0, failed: 0, pending: 0 });
  const log = existsSync(join(outDir, 'integration.log')) ? await readFile(join(outDir, 'integration.log'), 'utf8') : '';
  process.stdout.write(log);
  console.log(`\nIntegration suite inside VS Code ${results[0].vscodeVersion}; screenshots in test-output/screenshots`);
  console.log(`${total.passed} passed, ${total.failed} failed${total.pending ? `, ${total.pending} skipped` : ''}`);
  return total.failed === 0 && total.passed > 0 ? 0 : 1;
}

/** One workbench, one browser: the suite's phases (and the reload between them), then both are closed. */
async function runSuite(suite: 'main' | 'zh' | 'scheme', grep: string | undefined, vsix: string | undefined): Promise<PhaseResult> {
  const workbench = await startWorkbench({
    workspaceTemplate: join(repoRoot, 'test', 'fixtures', 'workspace'),
    env: { IDEOGRAM_TEST_OUT: outDir, IDEOGRAM_TEST_SCREENSHOTS: '1', IDEOGRAM_TEST_GREP: grep ?? '', IDEOGRAM_TEST_SUITE: suite },
    vsix,
    locale: suite === 'zh' ? 'zh-cn' : undefined,
    extraFolders: suite === 'scheme' ? [{ uri: 'ideogram-memfs:/', name: 'In memory' }] : undefined,
  });
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    // The clipboard as a user's browser lets VS Code use it (the summary test reads what was copied).
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    // What the workbench and the webviews print, for when a UI step fails.
    page.on('console', (m) => void appendFile(join(outDir, `browser-console-${suite}.log`), `${m.type()} ${m.location().url.slice(0, 80)} ${m.text()}\n`).catch(() => undefined));
    page.on('pageerror', (e) => void appendFile(join(outDir, `browser-console-${suite}.log`), `pageerror ${e.message}\n`).catch(() => undefined));
    await page.goto(workbench.url(join(repoRoot, 'out', 'test', 'integration', 'index.js')));
    if (suite === 'zh') {
      const zh = await waitForPhase(page, 'zh');
      if (!zh.crash) return zh;
      // The Chinese phase ended by killing its extension host. The browser-served VS Code does not
      // start another by itself; opening the window again does, as a user would after a crash.
      await new Promise((r) => setTimeout(r, 2000));
      await page.reload();
      const after = await waitForPhase(page, 'crashed', 5 * 60_000);
      return { ...after, passed: zh.passed + after.passed, failed: zh.failed + after.failed, pending: zh.pending + after.pending };
    }
    if (suite === 'scheme') return await waitForPhase(page, 'scheme');
    let result = await waitForPhase(page, 1);
    if (result.reload) {
      // Phase 1 has reloaded the window itself; phase 2 checks what must survive the reload.
      // It resumes the run of 200 images that the reload interrupted.
      const second = await waitForPhase(page, 2, 10 * 60_000);
      result = { ...second, passed: result.passed + second.passed, failed: result.failed + second.failed, pending: result.pending + second.pending };
    }
    await page.screenshot({ path: join(outDir, 'screenshots', 'workbench-end.png') });
    return result;
  } finally {
    await browser.close();
    await workbench.stop();
  }
}

interface PhaseResult {
  passed: number;
  failed: number;
  pending: number;
  vscodeVersion: string;
  reload?: boolean;
  crash?: boolean;
}

async function waitForPhase(page: Page, phase: number | 'zh' | 'crashed' | 'scheme', timeoutMs = suiteTimeoutMs): Promise<PhaseResult> {
  const file = join(outDir, `integration-result-${phase}.json`);
  const until = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > until) {
      await page.screenshot({ path: join(outDir, 'screenshots', 'timeout.png') });
      const log = existsSync(join(outDir, 'integration.log')) ? await readFile(join(outDir, 'integration.log'), 'utf8') : '';
      throw new Error(`the integration suite (phase ${phase}) did not finish within ${timeoutMs / 60_000} minutes\n${log}`);
    }
    await serveRequests(page);
    await new Promise((r) => setTimeout(r, 200));
  }
  return JSON.parse(await readFile(file, 'utf8')) as PhaseResult;
}

/** Serves the suite's requests: screenshots, and real input through the browser (test/support/handshake.ts). */
async function serveRequests(page: Page): Promise<void> {
  const dir = join(outDir, 'requests');
  if (!existsSync(dir)) return;
  for (const file of await readdir(dir)) {
    if (file.endsWith('.screenshot')) {
      const name = file.slice(0, -'.screenshot'.length);
      await rm(join(dir, file));
      await page.screenshot({ path: join(outDir, 'screenshots', `${name}.png`) });
      await writeFile(join(dir, `${name}.done`), '');
    } else if (file.endsWith('.ui')) {
      const name = file.slice(0, -'.ui'.length);
      const text = await readFile(join(dir, file), 'utf8').catch(() => undefined);
      if (text === undefined) continue; // served already
      const steps = JSON.parse(text) as UiStep[];
      await rm(join(dir, file));
      try {
        for (const step of steps) await perform(page, step);
        await writeFile(join(dir, `${name}.done`), '');
      } catch (err) {
        await page.screenshot({ path: join(outDir, 'screenshots', `${name}-failed.png`) }).catch(() => undefined);
        await writeFile(join(dir, `${name}.error`), `${JSON.stringify(steps)}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
  }
}

/** The results panel's page: VS Code nests it in two iframes; other webviews (image previews) may be open too. */
const panelIframe = 'iframe.webview.ready[src*="extensionId=ideogram-upscale.ideogram-upscale"]';
function panelFrame(page: Page): FrameLocator {
  return page.frameLocator(panelIframe).frameLocator('iframe#active-frame');
}

async function perform(page: Page, step: UiStep): Promise<void> {
  const scope = (frame?: 'panel') => (frame === 'panel' ? panelFrame(page) : page);
  if ('click' in step) {
    await scope(step.frame).locator(step.click).first().click({ button: step.button ?? 'left', modifiers: step.modifiers, timeout: 15_000 });
  } else if ('hover' in step) {
    await page.locator(step.hover).first().hover({ timeout: 15_000 });
  } else if ('waitFor' in step) {
    await scope(step.frame).locator(step.waitFor).first().waitFor({ timeout: step.timeoutMs ?? 15_000 });
  } else if ('press' in step) {
    await page.keyboard.press(step.press);
  } else if ('type' in step) {
    await page.keyboard.type(step.type, { delay: 20 });
  } else if ('fill' in step) {
    await scope(step.frame).locator(step.fill).first().fill(step.value, { timeout: 15_000 });
  } else if ('screenshot' in step) {
    await page.screenshot({ path: join(outDir, 'screenshots', `${step.screenshot}.png`) });
  } else if ('sleep' in step) {
    await page.waitForTimeout(step.sleep);
  } else if ('evaluate' in step) {
    // In the frame that carries the page's messages to VS Code (the page itself is cut off from
    // it once its script has acquired the API).
    const handle = await page.locator(panelIframe).first().elementHandle({ timeout: 15_000 });
    const frame = await handle?.contentFrame();
    if (!frame) throw new Error('the panel has no page');
    await frame.evaluate(step.evaluate);
  } else if ('countOf' in step) {
    await writeFile(join(outDir, step.file), String(await scope(step.frame).locator(step.countOf).count()));
  } else if ('textOf' in step) {
    const text = await scope(step.frame).locator(step.textOf).first().innerText({ timeout: 15_000 });
    await writeFile(join(outDir, step.file), text);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
