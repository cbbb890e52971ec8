import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, Page } from 'playwright-core';
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
  const resultFile = join(outDir, 'integration-result.json');
  // `npm test` packages first, so the suite runs against the installed .vsix; `--source` loads the
  // repository's folder instead (quicker while working on the code).
  const vsix = process.argv.includes('--source') ? undefined : join(repoRoot, 'dist', 'ideogram-upscale.vsix');
  if (vsix && !existsSync(vsix)) throw new Error('dist/ideogram-upscale.vsix is missing: run `npm run package` (npm test does).');
  console.log(vsix ? 'Testing the packaged extension dist/ideogram-upscale.vsix, installed into VS Code' : 'Testing the extension from the repository folder');
  const workbench = await startWorkbench({
    workspaceTemplate: join(repoRoot, 'test', 'fixtures', 'workspace'),
    env: { IDEOGRAM_TEST_OUT: outDir, IDEOGRAM_TEST_SCREENSHOTS: '1' },
    vsix,
  });
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(workbench.url(join(repoRoot, 'out', 'test', 'integration', 'index.js')));
    const until = Date.now() + suiteTimeoutMs;
    while (!existsSync(resultFile)) {
      if (Date.now() > until) {
        await page.screenshot({ path: join(outDir, 'screenshots', 'timeout.png') });
        throw new Error(`the integration suite did not finish within ${suiteTimeoutMs / 60_000} minutes`);
      }
      await serveScreenshots(page);
      await new Promise((r) => setTimeout(r, 200));
    }
    await page.screenshot({ path: join(outDir, 'screenshots', 'workbench-end.png') });
    const log = existsSync(join(outDir, 'integration.log')) ? await readFile(join(outDir, 'integration.log'), 'utf8') : '';
    process.stdout.write(log);
    const result = JSON.parse(await readFile(resultFile, 'utf8')) as { passed: number; failed: number; pending: number; vscodeVersion: string };
    if (pageErrors.length) console.log(`(workbench page errors seen: ${pageErrors.length})`);
    console.log(`\nIntegration suite inside VS Code ${result.vscodeVersion}; screenshots in test-output/screenshots`);
    console.log(`${result.passed} passed, ${result.failed} failed${result.pending ? `, ${result.pending} skipped` : ''}`);
    return result.failed === 0 && result.passed > 0 ? 0 : 1;
  } finally {
    await browser.close();
    await workbench.stop();
  }
}

async function serveScreenshots(page: Page): Promise<void> {
  const dir = join(outDir, 'requests');
  if (!existsSync(dir)) return;
  for (const file of await readdir(dir)) {
    if (!file.endsWith('.screenshot')) continue;
    const name = file.slice(0, -'.screenshot'.length);
    await rm(join(dir, file));
    await page.screenshot({ path: join(outDir, 'screenshots', `${name}.png`) });
    await writeFile(join(dir, `${name}.done`), '');
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
