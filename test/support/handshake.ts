import { appendFileSync, existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The suite runs inside VS Code; the runner outside drives the browser. They talk through files
 * in the test output folder, named by environment variables the runner gives the VS Code server
 * (whose extension host inherits them).
 */
export const env = {
  /** The test VS Code's user data folder (settings, logs), where the runner sets one. */
  userDataDir: process.env.IDEOGRAM_TEST_USER_DATA,
  /** Where results, screenshots and logs go. */
  outDir: process.env.IDEOGRAM_TEST_OUT ?? join(__dirname, '..', '..', '..', 'test-output'),
  /** Set when a runner that can take screenshots is outside. */
  canScreenshot: process.env.IDEOGRAM_TEST_SCREENSHOTS === '1',
};

export const requestDir = () => join(env.outDir, 'requests');

/**
 * Asks the runner for a screenshot of the whole workbench and waits until it is saved. Returns
 * the PNG's path, or undefined under a runner that cannot take one (@vscode/test-electron).
 */
export async function screenshot(name: string, timeoutMs = 20_000): Promise<string | undefined> {
  if (!env.canScreenshot) return undefined;
  await mkdir(requestDir(), { recursive: true });
  await rm(join(requestDir(), `${name}.done`), { force: true });
  const done = join(requestDir(), `${name}.done`);
  await writeFile(join(requestDir(), `${name}.screenshot`), '');
  const until = Date.now() + timeoutMs;
  while (!existsSync(done)) {
    if (Date.now() > until) throw new Error(`the runner took no screenshot "${name}" within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return join(env.outDir, 'screenshots', `${name}.png`);
}

/**
 * A step of real input that the runner performs in the browser with playwright: what a person
 * does with mouse and keyboard. Selectors are playwright's; `frame: 'panel'` looks inside the
 * results panel's webview.
 */
export type UiStep =
  | { click: string; frame?: 'panel'; button?: 'left' | 'right'; modifiers?: ('Control' | 'Shift')[] }
  /** Rests the mouse over the first match (what opens a hover). */
  | { hover: string }
  | { waitFor: string; frame?: 'panel'; timeoutMs?: number }
  | { press: string }
  | { type: string }
  | { fill: string; frame?: 'panel'; value: string }
  | { screenshot: string }
  | { sleep: number }
  /** Runs a script in the frame that relays the results panel's messages (to act as a tampered page would). */
  | { evaluate: string; frame: 'panel' }
  /** Saves how many elements match (none is an answer, not a failure) to `<out>/<file>`. */
  | { countOf: string; frame?: 'panel'; file: string }
  /** Saves the visible text of the first match to `<out>/<file>`. */
  | { textOf: string; frame?: 'panel'; file: string };

let uiCount = 0;

/** Has the runner perform the steps; throws with the runner's message when one fails. */
export async function ui(steps: UiStep[], timeoutMs = 60_000): Promise<void> {
  if (!env.canScreenshot) throw new Error('UI steps need the code-server runner (npm run test:vscode)');
  await mkdir(requestDir(), { recursive: true });
  // Unique across the window reload between the suite's two phases.
  const name = `ui-${process.pid}-${++uiCount}`;
  await writeFile(join(requestDir(), `${name}.json.tmp`), JSON.stringify(steps));
  const { rename, readFile } = await import('node:fs/promises');
  await rename(join(requestDir(), `${name}.json.tmp`), join(requestDir(), `${name}.ui`));
  const done = join(requestDir(), `${name}.done`);
  const failed = join(requestDir(), `${name}.error`);
  const until = Date.now() + timeoutMs;
  while (!existsSync(done)) {
    if (existsSync(failed)) throw new Error(`UI step failed: ${await readFile(failed, 'utf8')}`);
    if (Date.now() > until) throw new Error(`the runner did not perform UI steps ${JSON.stringify(steps)} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A line for the suite's report (test-output/integration.log, printed by the runner). */
export function report(line: string): void {
  appendFileSync(join(env.outDir, 'integration.log'), line + '\n');
  console.log(line);
}
