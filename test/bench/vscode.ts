import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, Frame, Page } from 'playwright-core';
import { chromiumLaunchOptions, startWorkbench } from '../runners/workbench';
import { Figure, judge, KB, MB, mean, median, ms, round } from './report';
import { benchWorkspace, scanImages } from './scanTree';
import { benchKey, benchOut, RemoteEmulator, repoRoot } from './shared';
import type { ScanMeasured } from './vscodeScan';
import type { MemorySamples } from './vscodeEntry';
import { installPageWatch, PageWatch, readPageWatch } from './pageWatch';

const timeoutMs = 5 * 60_000;
const taskMs = 1000;
const inFlight = 10;

/**
 * The figures measured inside a real VS Code with the packaged .vsix installed (vscodeEntry.ts):
 * activation, the scan of 5,000 images to a plan, and a 200-image batch at 10 images in flight
 * against an emulator whose tasks take 1 s, with the results panel open and watched in its page.
 */
export async function vscodeFigures(): Promise<Figure[]> {
  const vsix = join(repoRoot, 'dist', 'ideogram-upscale.vsix');
  if (!existsSync(vsix)) throw new Error('dist/ideogram-upscale.vsix is missing (npm run package)');
  const dir = join(benchOut, 'vscode');
  await mkdir(dir, { recursive: true });
  const outFile = join(dir, 'figures.json');
  for (const f of [outFile, `${outFile}.ready`, `${outFile}.go`, `${outFile}.timed`, `${outFile}.watched`]) await rm(f, { force: true });
  const template = await benchWorkspace(join(repoRoot, 'test', 'fixtures', 'workspace'), join(dir, 'workspace'));
  const emulator = await RemoteEmulator.start({ key: benchKey, shape: 'task', taskMs, inflightLimit: inFlight });
  const workbench = await startWorkbench({ workspaceTemplate: template, env: { IDEOGRAM_BENCH_FIGURES: outFile, IDEOGRAM_BENCH_EMULATOR: emulator.url }, vsix });
  const browser = await chromium.launch(chromiumLaunchOptions);
  let r: Record<string, unknown> & { error?: string };
  let watch: PageWatch | undefined;
  let service: Awaited<ReturnType<RemoteEmulator['stats']>> | undefined;
  let stopRendererProfile: ((path: string) => Promise<void>) | undefined;
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(workbench.url(join(__dirname, 'vscodeEntry.js')));
    const until = Date.now() + timeoutMs;
    let panel: Frame | undefined;
    while (!existsSync(outFile)) {
      if (!panel && existsSync(`${outFile}.ready`)) {
        panel = await panelPage(page);
        await installPageWatch(panel);
        stopRendererProfile = await startRendererProfile(page);
        if (process.env.IDEOGRAM_BENCH_TRACE) await browser.startTracing(page, { path: join(dir, 'renderer.trace.json'), categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'viz', 'gpu'] });
        await writeFile(`${outFile}.go`, '');
      }
      if (panel && !watch && existsSync(`${outFile}.timed`)) {
        watch = await readPageWatch(panel);
        service = await emulator.stats();
        await stopRendererProfile?.(join(dir, 'renderer.cpuprofile'));
        if (process.env.IDEOGRAM_BENCH_TRACE) await browser.stopTracing();
        await writeFile(`${outFile}.watched`, '');
      }
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
  await emulator.stop();
  if (r.error) throw new Error(`inside VS Code: ${r.error}`);
  const v = r as unknown as Measured;
  if (v.done !== v.jobs || v.jobs !== 200) throw new Error(`the batch in VS Code finished ${v.done} of ${v.jobs} images: ${v.firstError}`);
  if (!watch || !service) throw new Error('the panel\'s page was not watched, or the service\'s figures not read, after the timed batch');
  const messages = v.after.panelMessages - v.before.panelMessages;
  const bytes = v.after.panelBytes - v.before.panelBytes;
  const ideal = Math.ceil(v.jobs / inFlight) * taskMs;
  const ours = median(v.scan.oursMs);
  const plain = median(v.scan.plainMs);
  const growth = v.rss.secondHalfPeak - v.rss.baseline;
  const laterGrowth = v.rss.secondHalfPeak - v.rss.firstHalfPeak;
  const keptFirst = v.retained.half - v.retained.before;
  const keptSecond = v.retained.after - v.retained.half;
  const batchText = `${v.jobs} images, ${inFlight} in flight, ${taskMs / 1000} s tasks`;
  const rounds = roundsOf(service.arrivals, v.batchStartedAt, v.batchMs);
  return [
    judge('activation', `${ms(v.activateMs)} inside activate() (extension.activate() took ${ms(v.activateCallMs)} end to end, loading dist/extension.js included${v.activeBefore ? '; it was already active' : ''}; VS Code ${v.vscodeVersion}, packaged .vsix)`, round(v.activateMs, 1), 'ms', { op: '<', limit: 20 }, { activateMs: v.activateMs, activateCallMs: v.activateCallMs, activeBefore: v.activeBefore, vscodeVersion: v.vscodeVersion }),
    judge('scan', `${v.scan.found} images (${scanImages} generated) to a ready plan in ${ms(ours)} (median of ${v.scan.oursMs.length}; ${v.scan.candidates} to send, skipped ${JSON.stringify(v.scan.skipped)})`, round(ours / 1000, 2), 's', { op: '<=', limit: 2 }, { ...v.scan }),
    judge('scan vs plain loop', `${ms(ours)} vs ${ms(plain)} for readdir and the same header reads = ${(ours / plain).toFixed(2)}x`, round(ours / plain, 2), 'x', { op: '<=', limit: 1.2 }, { oursMs: v.scan.oursMs, plainMs: v.scan.plainMs }),
    judge('batch', `${batchText}, through the command in VS Code: ${ms(v.batchMs)} vs ideal ${ms(ideal)} = ${(v.batchMs / ideal).toFixed(2)}x (${round(service.taskQueries / v.jobs, 2)} queries per task, ${service.arrivals.early} of them before the task had ended, ${service.connections} connections opened, at most ${service.maxInFlight} in flight at the service; at the service: the first upload ${ms(rounds.firstUploadAfterMs)} after the command, the first ${inFlight} within ${ms(rounds.firstUploadsMs)}, a task seen ended ${ms(rounds.endAfterUploadMs)} after its upload and a slot's next upload ${ms(rounds.nextUploadMs)} after that, medians (means ${ms(rounds.endAfterUploadMeanMs)} and ${ms(rounds.nextUploadMeanMs)}); the command ended ${ms(rounds.afterLastEndMs)} after the last task was seen ended; the extension host's CPU ${ms(v.batchCpuMs / v.jobs)} per image)`, round(v.batchMs / ideal, 2), 'x', { op: '<=', limit: 1.1 }, { batchMs: v.batchMs, idealMs: ideal, hostCpuMs: v.batchCpuMs, ...rounds, taskQueries: service.taskQueries, submits: service.submits, downloads: service.downloads, maxInFlight: service.maxInFlight, inflightRefusals: service.inflightRefusals, earlyQueries: service.arrivals.early }),
    judge('batch memory', `the extension host's RSS grew ${round(growth / MB, 1)} MB over the batch (from ${round(v.rss.baseline / MB)} MB; ${v.rss.samples} samples every 50 ms; at the peak, ${round(v.rss.heapTotalAtPeak / MB, 1)} MB of it was the host thread's own V8 heap)`, round(growth / MB, 1), 'MB', { op: '<=', limit: 64 }, { ...v.rss }),
    judge('batch memory, second half', `after a full collection the extension host held ${round(keptSecond / MB, 1)} MB more at image 200 than at image 100 of a second batch like the first, untimed (${round(keptFirst / MB, 1)} MB more at 100 than before it); in the timed batch the RSS peak grew ${round(laterGrowth / MB, 1)} MB more in the second half than in the first, as the collector happened to run`, round(keptSecond / MB, 1), 'MB', { op: '<=', limit: 8 }, { ...v.retained, rssFirstHalfPeak: v.rss.firstHalfPeak, rssSecondHalfPeak: v.rss.secondHalfPeak }),
    judge('panel', `${v.jobs} cards: ${messages} messages, ${round(bytes / KB, 1)} KB to the results panel = ${round(bytes / v.jobs / KB, 2)} KB and ${round(messages / v.jobs, 1)} messages per image`, round(bytes / v.jobs / KB, 2), 'KB per image', { op: '<', limit: 2 }, { messages, bytes, before: v.before, after: v.after }),
    judge('panel, other cards', `of ${watch.messagesUpdating} messages that updated cards seen in the page (${watch.updates} card updates), ${watch.touchingOthers} changed a card they did not name (at most ${watch.mostOthers}); ${watch.clockWrites} clock updates by the page's timer; messages by type ${JSON.stringify(watch.byType)}`, watch.touchingOthers, 'updates', { op: '<=', limit: 0 }, { ...watch }),
  ];
}

/**
 * Where a batch's rounds lose time, from when the service saw each upload and when a query first
 * found each task ended: taken in order, the n-th end seen answers the n-th upload, and the slot
 * it frees takes the (n + window)-th.
 */
function roundsOf(arrivals: { submits: number[]; ended: number[] }, startedAt: number, batchMs: number): { firstUploadAfterMs: number; firstUploadsMs: number; endAfterUploadMs: number; nextUploadMs: number; endAfterUploadMeanMs: number; nextUploadMeanMs: number; afterLastEndMs: number } {
  const submits = [...arrivals.submits].sort((a, b) => a - b);
  const ended = [...arrivals.ended].sort((a, b) => a - b);
  return {
    firstUploadAfterMs: submits[0] - startedAt,
    afterLastEndMs: startedAt + batchMs - ended[ended.length - 1],
    firstUploadsMs: (submits[inFlight - 1] ?? NaN) - submits[0],
    endAfterUploadMs: median(ended.map((q, i) => q - submits[i])),
    nextUploadMs: median(ended.slice(0, -inFlight).map((q, i) => submits[i + inFlight] - q)),
    endAfterUploadMeanMs: mean(ended.map((q, i) => q - submits[i])),
    nextUploadMeanMs: mean(ended.slice(0, -inFlight).map((q, i) => submits[i + inFlight] - q)),
  };
}

/** With IDEOGRAM_BENCH_PROFILE set, a CPU profile of the window's renderer (the workbench and the panel's page) over the batch. */
async function startRendererProfile(page: Page): Promise<((path: string) => Promise<void>) | undefined> {
  if (!process.env.IDEOGRAM_BENCH_PROFILE) return undefined;
  const session = await page.context().newCDPSession(page);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 500 });
  await session.send('Profiler.start');
  return async (path) => {
    const { profile } = await session.send('Profiler.stop');
    await writeFile(path, JSON.stringify(profile));
    await session.detach();
  };
}

/** The page of the results panel (VS Code nests it in two iframes). */
async function panelPage(page: Page): Promise<Frame> {
  const outer = await page.locator('iframe.webview.ready[src*="extensionId=ideogram-upscale.ideogram-upscale"]').first().elementHandle({ timeout: 60_000 });
  const host = await outer?.contentFrame();
  const inner = await host?.waitForSelector('iframe#active-frame', { timeout: 60_000 });
  const frame = await inner?.contentFrame();
  if (!frame) throw new Error('the results panel has no page');
  return frame;
}

interface Measured {
  vscodeVersion: string;
  activeBefore: boolean;
  activateMs: number;
  activateCallMs: number;
  scan: ScanMeasured;
  retained: { before: number; half: number; after: number };
  before: { panelMessages: number; panelBytes: number };
  after: { panelMessages: number; panelBytes: number };
  batchMs: number;
  batchStartedAt: number;
  /** The extension host's CPU time over the batch (all its threads: the image worker's too). */
  batchCpuMs: number;
  rss: MemorySamples;
  jobs: number;
  done: number;
  firstError?: string;
}
