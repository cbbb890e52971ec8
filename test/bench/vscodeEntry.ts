import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { IdeogramUpscaleApi } from '../../src/extension';
import { scanFigures } from './vscodeScan';

/**
 * Runs inside the extension host of a real VS Code (as `extensionTestsPath`, see vscode.ts):
 * activates the packaged extension, times the scan of a 5,000-image folder, then upscales a
 * 200-image batch with the results panel open against the emulator named by
 * IDEOGRAM_BENCH_EMULATOR (a process of its own), sampling this process's memory. What it saw goes
 * to the file named by IDEOGRAM_BENCH_FIGURES; `<file>.ready` and `<file>.go` let the driver watch
 * the panel's page from the start of the batch.
 */
const extensionId = 'ideogram-upscale.ideogram-upscale';
const key = 'sk-bench-0123456789abcdef';
export const batchImages = 200;
const fixtures = ['logo.png', 'photo.jpg', 'banner.webp'];

export async function run(): Promise<void> {
  const outFile = process.env.IDEOGRAM_BENCH_FIGURES;
  const emulatorUrl = process.env.IDEOGRAM_BENCH_EMULATOR;
  if (!outFile || !emulatorUrl) throw new Error('IDEOGRAM_BENCH_FIGURES and IDEOGRAM_BENCH_EMULATOR must be set');
  const write = (value: unknown) => {
    writeFileSync(`${outFile}.tmp`, JSON.stringify(value, null, 2));
    renameSync(`${outFile}.tmp`, outFile);
  };
  try {
    const extension = vscode.extensions.getExtension<IdeogramUpscaleApi>(extensionId);
    if (!extension) throw new Error(`${extensionId} is not loaded`);
    const activeBefore = extension.isActive;
    const started = performance.now();
    const api = await extension.activate();
    const activateCallMs = performance.now() - started;
    const { activateMs } = api.diagnostics();
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('no workspace folder is open');

    const scan = await scanFigures(folder);

    const traffic = api.countPanelTraffic();
    await vscode.workspace.getConfiguration('ideogramUpscale').update('baseUrl', emulatorUrl, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('ideogramUpscale.setApiKey', key);
    const uris = await benchImages(folder, 'bench');
    const again = await benchImages(folder, 'bench-again');
    await vscode.commands.executeCommand('ideogramUpscale.showResults');
    // The page asks for the job list once loaded: that first message says the panel is live.
    await until(() => traffic.panelMessages > 0, 60_000, 'the results panel did not load within 60 s');
    await sleep(500);
    writeFileSync(`${outFile}.ready`, '');
    await until(() => existsSync(`${outFile}.go`), 60_000, 'the driver did not start watching the panel within 60 s');

    const before = { ...traffic };
    // The timed batch starts from a collected heap, as the growth figure assumes, and has no collection of the bench's own.
    await fullCollection();
    const memory = sampleMemory();
    const profiler = await startProfile();
    const batchStarted = performance.now();
    const batchStartedAt = Date.now();
    const cpuBefore = process.cpuUsage();
    const summary = await vscode.commands.executeCommand<{ jobs: { state: string; error?: string }[] } | undefined>('ideogramUpscale.upscale', uris[0], uris, { params: 'defaults', output: 'nextToOriginal' });
    const batchMs = performance.now() - batchStarted;
    const cpu = process.cpuUsage(cpuBefore);
    const rss = memory.stop();
    await profiler?.(`${outFile}.cpuprofile`);
    await sleep(1000); // anything posted just after the command returned
    const after = { ...traffic };
    // The page's watch ends with the timed batch.
    writeFileSync(`${outFile}.timed`, '');
    await until(() => existsSync(`${outFile}.watched`), 60_000, 'the driver did not read the panel\'s watch within 60 s');
    // What the host keeps needs full collections, each a pause of 0.2 to 0.4 s: taken in a second
    // batch like the first, so that the timed one has none.
    const retained = await retainedMemory(vscode.Uri.joinPath(folder.uri, 'bench-again').fsPath);
    await vscode.commands.executeCommand('ideogramUpscale.upscale', again[0], again, { params: 'defaults', output: 'nextToOriginal' });
    const kept = await retained.stop();
    write({
      vscodeVersion: vscode.version,
      activeBefore,
      activateMs,
      activateCallMs,
      scan,
      before,
      after,
      batchMs,
      batchStartedAt,
      batchCpuMs: (cpu.user + cpu.system) / 1000,
      rss,
      retained: kept,
      jobs: summary?.jobs.length ?? 0,
      done: summary?.jobs.filter((j) => j.state === 'done' && !j.error).length ?? 0,
      firstError: summary?.jobs.find((j) => j.error)?.error,
    });
  } catch (err) {
    write({ error: (err as Error).stack ?? String(err) });
  }
}

/** The batch's images: the fixtures in turn, copied into `name/` of the workspace folder. */
async function benchImages(folder: vscode.WorkspaceFolder, name: string): Promise<vscode.Uri[]> {
  const uris: vscode.Uri[] = [];
  for (let i = 0; i < batchImages; i++) {
    const fixture = fixtures[i % fixtures.length];
    const target = vscode.Uri.joinPath(folder.uri, name, `image-${String(i + 1).padStart(3, '0')}${fixture.slice(fixture.lastIndexOf('.'))}`);
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(folder.uri, 'assets', fixture), target, { overwrite: true });
    uris.push(target);
  }
  return uris;
}

/**
 * This process's RSS every 50 ms: its value at the start and the peak of each half of the run, and
 * at the peak how much of it V8's heap of this thread held (the image worker's heap and codecs,
 * and native buffers, are the rest).
 */
function sampleMemory(): { stop(): MemorySamples } {
  const baseline = process.memoryUsage();
  const samples: { at: number; rss: number }[] = [];
  const started = performance.now();
  let top = { rss: baseline.rss, heapTotal: baseline.heapTotal };
  const timer = setInterval(() => {
    // The cheap reading each time; the heap's size (a costlier one) only at a new peak.
    const rss = process.memoryUsage.rss();
    samples.push({ at: performance.now() - started, rss });
    if (rss > top.rss) top = { rss, heapTotal: process.memoryUsage().heapTotal };
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      const half = (performance.now() - started) / 2;
      const peak = (list: typeof samples) => Math.max(baseline.rss, ...list.map((s) => s.rss));
      return { baseline: baseline.rss, firstHalfPeak: peak(samples.filter((s) => s.at <= half)), secondHalfPeak: peak(samples.filter((s) => s.at > half)), samples: samples.length, heapTotalAtPeak: top.heapTotal - baseline.heapTotal };
    },
  };
}

export interface MemorySamples {
  baseline: number;
  firstHalfPeak: number;
  secondHalfPeak: number;
  samples: number;
  /** How much more V8's heap of this thread held at the RSS peak than at the start. */
  heapTotalAtPeak: number;
}

/**
 * What the extension host still holds after a full collection (V8's heap in use, plus buffers
 * outside it): before the batch, once half of its copies are saved, and after it. Peaks of RSS
 * follow when the collector happens to run; this follows what stays.
 */
async function retainedMemory(benchFolder: string): Promise<{ stop(): Promise<{ before: number; half: number; after: number }> }> {
  const { Session } = await import('node:inspector');
  const session = new Session();
  session.connect();
  const measure = async () => {
    await fullCollection(session);
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  const before = await measure();
  let half: Promise<number> | undefined;
  const timer = setInterval(() => {
    if (half) return;
    const saved = readdirSync(benchFolder).filter((name) => name.includes('@upscaled')).length;
    if (saved >= batchImages / 2) half = measure();
  }, 250);
  return {
    async stop() {
      clearInterval(timer);
      const after = await measure();
      session.disconnect();
      return { before, half: (await half) ?? after, after };
    },
  };
}

/** A full garbage collection of this process's heap, through the inspector. */
async function fullCollection(given?: import('node:inspector').Session): Promise<void> {
  const { Session } = await import('node:inspector');
  const session = given ?? new Session();
  if (!given) session.connect();
  await new Promise<void>((resolve, reject) => session.post('HeapProfiler.collectGarbage', (err) => (err ? reject(err) : resolve())));
  if (!given) session.disconnect();
}

async function until(condition: () => boolean, ms: number, failure: string): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(failure);
    await sleep(100);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** With IDEOGRAM_BENCH_PROFILE set, a CPU profile of this process over the batch, and a sample of what it allocated (`.heapprofile`). */
async function startProfile(): Promise<((path: string) => Promise<void>) | undefined> {
  if (!process.env.IDEOGRAM_BENCH_PROFILE) return undefined;
  const { Session } = await import('node:inspector');
  const session = new Session();
  session.connect();
  const post = (method: string) => new Promise<unknown>((resolve, reject) => session.post(method, (err, result) => (err ? reject(err) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.start');
  await post('HeapProfiler.enable');
  await new Promise<void>((resolve, reject) => session.post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }, (err) => (err ? reject(err) : resolve())));
  return async (path) => {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(path, JSON.stringify(profile));
    const { profile: heap } = (await post('HeapProfiler.stopSampling')) as { profile: unknown };
    writeFileSync(path.replace(/\.cpuprofile$/, '.heapprofile'), JSON.stringify(heap));
    session.disconnect();
  };
}
