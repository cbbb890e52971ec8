import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { noisePng } from './images';
import { Figure, judge, mb, MB, median, round } from './report';
import { benchKey, benchOut, RemoteEmulator } from './shared';

const resultBytes = 50 * MB;
const runs = 5;

interface Sample {
  atStart: number;
  before: number;
  afterUpload: number;
  after: number;
  uploadBytes: number;
  downloadedBytes: number;
  onDisk: number;
}

/**
 * One fresh process (memoryChild.ts): upload, then download; its peak RSS before and after.
 * Started through a shell, not forked from this process: Linux carries a parent's RSS into the
 * peak of a child it forks and execs, which would hide the growth below this process's own size.
 */
async function sample(url: string, file: string, workDir: string): Promise<Sample> {
  const child = spawn('/bin/sh', ['-c', '"$0" "$@"; exit $?', process.execPath, join(__dirname, 'memoryChild.js'), url, file, workDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const report = out.split('\n').find((l) => l.startsWith('{'));
  if (!report) throw new Error(`the memory child exited (${code}) without reporting: ${out.slice(0, 200)}`);
  const m = JSON.parse(report) as Sample & { error?: string };
  if (m.error) throw new Error(m.error);
  if (m.downloadedBytes !== resultBytes || m.onDisk !== resultBytes) throw new Error(`downloaded ${m.downloadedBytes} bytes (${m.onDisk} on disk), expected ${resultBytes}`);
  return m;
}

/**
 * Figure 2: how much the peak RSS of a fresh process grows while the client submits the 25 MB
 * image and downloads a 50 MB result. The emulator (which holds the upload it parses) runs in a
 * process of its own; the client in a child started fresh for each of `runs` samples (peak RSS
 * depends on when the garbage collector runs, so the median is reported).
 */
export async function memoryFigure(): Promise<Figure> {
  const file = await noisePng();
  const workDir = join(benchOut, 'memory');
  await mkdir(workDir, { recursive: true });
  const emulator = await RemoteEmulator.start({ key: benchKey, shape: 'sync', largeResultBytes: resultBytes });
  try {
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) samples.push(await sample(emulator.url, file, workDir));
    const growths = samples.map((m) => m.after - m.before);
    const growth = median(growths);
    const m = samples[growths.indexOf(growth)];
    const larger = Math.max(m.uploadBytes, m.downloadedBytes);
    return judge(
      'memory',
      `peak RSS grew ${mb(growth)} (median of ${runs} fresh processes: ${growths.map((g) => round(g / MB, 1)).join(', ')} MB) submitting ${mb(m.uploadBytes)} and downloading ${mb(m.downloadedBytes)} = ${(growth / larger).toFixed(2)}x the larger file (${mb(m.after - m.atStart)} from process start)`,
      round(growth / MB, 1),
      'MB',
      { op: '<=', limit: round(larger / MB, 1) },
      { growthsBytes: growths, uploadPhaseGrowthBytes: m.afterUpload - m.before, downloadPhaseGrowthBytes: m.after - m.afterUpload, peakBeforeBytes: m.before, peakAfterBytes: m.after, peakAtStartBytes: m.atStart, growthBytes: growth, uploadBytes: m.uploadBytes, downloadBytes: m.downloadedBytes, baseline: 'after one small upload (loading fetch/undici not counted)' },
    );
  } finally {
    await emulator.stop();
  }
}
