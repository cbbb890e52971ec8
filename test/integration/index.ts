import { appendFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { env } from '../support/handshake';
import { isResultsPanel } from './helpers';

/**
 * Entry point that VS Code calls inside the extension host (`extensionTestsPath`), under
 * @vscode/test-electron and under the code-server runner alike. The spec report goes to
 * `integration.log` and the outcome to `integration-result-<phase>.json` in the test output
 * folder, since under code-server nothing else of the extension host reaches the runner.
 *
 * Phase 1 runs `*.test.js`. When there are `*.reload.test.js` files, it then reloads the window
 * (as a user would) and VS Code calls this entry again: phase 2 runs those files, to check
 * what must survive a reload.
 */
export async function run(): Promise<void> {
  mkdirSync(env.outDir, { recursive: true });
  const zh = process.env.IDEOGRAM_TEST_SUITE === 'zh';
  const phase = process.env.IDEOGRAM_TEST_SUITE === 'scheme' ? 'scheme' : zh ? (existsSync(join(env.outDir, 'integration-result-zh.json')) ? 'crashed' : 'zh') : existsSync(join(env.outDir, 'integration-result-1.json')) ? 2 : 1;
  const logFile = join(env.outDir, 'integration.log');
  if (phase === 1) writeFileSync(logFile, '');
  const print = (...args: unknown[]) => {
    const line = format(...args);
    appendFileSync(logFile, line + '\n');
    console.log(line);
  };
  Mocha.reporters.Base.consoleLog = print;
  if (phase === 1) {
    print(`Running inside VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.appHost}), Node ${process.version}`);
    const extension = vscode.extensions.getExtension('ideogram-upscale.ideogram-upscale');
    print(`Extension under test: ${extension?.packageJSON.version} from ${extension?.extensionPath}`);
  } else if (phase === 2) {
    print('\nAfter reloading the window:');
  } else if (phase === 'scheme') {
    print('\nWith a second workspace folder on a file system that is not the disk:');
  } else if (phase === 'crashed') {
    print('\nAfter the extension host was killed and the window opened again:');
  } else {
    print(`\nWith VS Code's display language set to Chinese (vscode.env.language = ${vscode.env.language}):`);
  }

  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec' });
  // `npm run test:vscode -- --grep <text>` runs only the matching tests while working on them.
  if (process.env.IDEOGRAM_TEST_GREP) mocha.grep(process.env.IDEOGRAM_TEST_GREP);
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  const reloadFiles = files.filter((f) => f.endsWith('.reload.test.js'));
  const zhFiles = files.filter((f) => f.endsWith('.zh.test.js'));
  const crashedFiles = files.filter((f) => f.endsWith('.crashed.test.js'));
  const schemeFiles = files.filter((f) => f.endsWith('.scheme.test.js'));
  const byPhase = { zh: zhFiles, crashed: crashedFiles, scheme: schemeFiles, 2: reloadFiles };
  // `*.last.test.js` ends phase 1: what it leaves for the reload phase, no other test changes.
  const phaseOne = files.filter((f) => ![...reloadFiles, ...zhFiles, ...crashedFiles, ...schemeFiles].includes(f));
  const chosen = byPhase[phase as keyof typeof byPhase] ?? [...phaseOne.filter((f) => !f.endsWith('.last.test.js')), ...phaseOne.filter((f) => f.endsWith('.last.test.js'))];
  for (const file of chosen) {
    mocha.addFile(join(__dirname, file));
  }
  const counts = await new Promise<{ passed: number; failed: number; pending: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0, pending: runner.stats?.pending ?? 0 }));
  });
  const reload = phase === 1 && reloadFiles.length > 0 && env.canScreenshot;
  const crash = phase === 'zh' && crashedFiles.length > 0 && env.canScreenshot;
  writeFileSync(join(env.outDir, `integration-result-${phase}.json`), JSON.stringify({ ...counts, vscodeVersion: vscode.version, reload, crash }));
  if (crash) {
    // As a crash ends it: no deactivate, no dispose. The runner opens the window again, whose new
    // extension host calls this entry once more: the phase "crashed" checks what a crash must not lose.
    process.kill(process.pid, 'SIGKILL');
    await new Promise<never>(() => undefined);
  }
  if (reload) {
    // In the VS Code that code-server serves, all webview pages share one service worker. Two
    // restored side by side race for it, and in CI the panel once came back blank beside an image
    // preview, its script never loaded. Only the panel, whose restoring is under test, stays open.
    await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => !isResultsPanel(t)));
    // Reloading as a user does (Developer: Reload Window) stores the workbench's state first and
    // waits for it; a reload of the page from outside does not wait, and the restored editors
    // were sometimes missing. The reload ends this extension host: VS Code calls `run` again.
    await vscode.commands.executeCommand('workbench.action.reloadWindow');
    await new Promise<never>(() => undefined);
  }

  if (counts.failed > 0) {
    throw new Error(`${counts.failed} integration tests failed`);
  }
}
