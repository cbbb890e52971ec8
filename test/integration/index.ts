import { readdirSync } from 'node:fs';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { env } from '../support/handshake';

/**
 * Entry point that VS Code calls inside the extension host (`extensionTestsPath`), under
 * @vscode/test-electron and under the code-server runner alike. The spec report goes to
 * `integration.log` and the outcome to `integration-result.json` in the test output folder, since
 * under code-server nothing else of the extension host reaches the runner.
 */
export async function run(): Promise<void> {
  mkdirSync(env.outDir, { recursive: true });
  const logFile = join(env.outDir, 'integration.log');
  writeFileSync(logFile, '');
  const print = (...args: unknown[]) => {
    const line = format(...args);
    appendFileSync(logFile, line + '\n');
    console.log(line);
  };
  Mocha.reporters.Base.consoleLog = print;
  print(`Running inside VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.appHost}), Node ${process.version}`);
  const extension = vscode.extensions.getExtension('ideogram-upscale.ideogram-upscale');
  print(`Extension under test: ${extension?.packageJSON.version} from ${extension?.extensionPath}`);

  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec' });
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(join(__dirname, file));
  }
  const counts = await new Promise<{ passed: number; failed: number; pending: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0, pending: runner.stats?.pending ?? 0 }));
  });
  writeFileSync(join(env.outDir, 'integration-result.json'), JSON.stringify({ ...counts, vscodeVersion: vscode.version }));
  if (counts.failed > 0) {
    throw new Error(`${counts.failed} integration tests failed`);
  }
}
