import { createHash, randomUUID } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type * as vscode from 'vscode';
import { UpscaleClient } from '../../src/core/api/client';
import { UpscaleParams } from '../../src/core/api/params';
import { gatewayProfile, ServiceProfile } from '../../src/core/api/services';
import { fileToUpload } from '../../src/core/api/uploadBody';
import { formatInfo, sniffFormat, UpscalableFormat } from '../../src/core/images/format';
import { runBatch } from '../../src/jobs/batch';
import { InFlightLimit } from '../../src/core/batch/inFlight';
import type { JobRunner } from '../../src/jobs/jobRunner';
import type { JobRecord } from '../../src/jobs/jobStore';
import { Figure, judge, ms, round } from './report';
import { benchClient, benchKey, benchOut, defaultParams, fixturesDir, RemoteEmulator, taskQueryPath } from './shared';

export const batchSize = 32;
const concurrency = 10;

/**
 * Figure 3: a batch of 32 images through the extension's own pool (src/jobs/batch.ts: at most
 * `concurrency` images in flight) against an emulator whose tasks take 1 s, compared with the ideal
 * ceil(32/3) x 1 s, with the client's default polling schedule.
 * Each job does what JobRunner.run does (copy, upload, wait, download) through the client.
 */
export async function batchFigure(taskMs = 1000): Promise<Figure> {
  const sources = await batchSources();
  const root = join(benchOut, 'batch', 'run');
  await rm(root, { recursive: true, force: true });
  const emulator = await RemoteEmulator.start({ key: benchKey, shape: 'task', taskMs });
  try {
    const runner = new BenchRunner(benchClient(), root);
    const profile = gatewayProfile(emulator.url, taskQueryPath, benchKey);
    const started = performance.now();
    const jobs = (await runBatch(runner as unknown as JobRunner, sources as unknown as vscode.Uri[], defaultParams, profile, new AbortController().signal, async () => undefined)) as unknown as BenchJob[];
    const wall = performance.now() - started;
    const failed = jobs.filter((j) => j.state !== 'done');
    if (failed.length) throw new Error(`${failed.length} of ${jobs.length} jobs failed: ${failed[0].error}`);
    const stats = await emulator.stats();
    const ideal = Math.ceil(batchSize / concurrency) * taskMs;
    const ratio = wall / ideal;
    const perJob = jobs.map((j) => j.endedAt! - j.startedAt);
    return judge('batch (default poll 1000/1.5/8000 ms)', `${batchSize} images, ${concurrency} in flight, ${taskMs / 1000} s tasks: ${ms(wall)} vs ideal ${ms(ideal)} = ${ratio.toFixed(2)}x (${perTask(stats.taskQueries / batchSize)} per task)`, round(ratio, 2), 'x', { op: '<=', limit: 1.15 }, {
      wallMs: round(wall, 1),
      idealMs: ideal,
      taskMs,
      poll: 'client default { firstMs: 1000, factor: 1.5, maxMs: 8000 }',
      pool: 'src/jobs/batch.ts runBatch (it uses vscode for types only)',
      meanJobMs: round(perJob.reduce((a, b) => a + b, 0) / perJob.length, 1),
      taskQueries: stats.taskQueries,
      queriesPerTask: round(stats.taskQueries / batchSize, 2),
      submits: stats.submits,
      downloads: stats.downloads,
    });
  } finally {
    await emulator.stop();
  }
}

function perTask(queries: number): string {
  const n = round(queries, 1);
  return `${n} ${n === 1 ? 'query' : 'queries'}`;
}

/** 32 copies of the workspace fixtures (PNG, JPEG and WebP in turn). */
async function batchSources(): Promise<string[]> {
  const dir = join(benchOut, 'batch', 'sources');
  await mkdir(dir, { recursive: true });
  const fixtures = ['logo.png', 'photo.jpg', 'banner.webp'];
  const out: string[] = [];
  for (let i = 0; i < batchSize; i++) {
    const fixture = fixtures[i % fixtures.length];
    const path = join(dir, `image-${String(i + 1).padStart(2, '0')}${extname(fixture)}`);
    await copyFile(join(fixturesDir, fixture), path);
    out.push(path);
  }
  return out;
}

interface BenchJob {
  id: string;
  source: string;
  params: UpscaleParams;
  state: JobRecord['state'];
  error?: string;
  startedAt: number;
  endedAt?: number;
  dir: string;
  results: string[];
}

/**
 * What JobRunner.run does for one job, without VS Code: copy the original into the job's folder
 * (hashing it), stream the upload from that copy, wait for the service, download each result.
 */
class BenchRunner {
  /** runBatch reads each job back from the store; these jobs live here only. */
  readonly store = { find: () => undefined };
  private readonly limit = new InFlightLimit(() => concurrency);

  constructor(
    private readonly client: UpscaleClient,
    private readonly root: string,
  ) {}

  enqueue(source: string, params: UpscaleParams): BenchJob {
    const id = randomUUID();
    return { id, source, params, state: 'queued', startedAt: Date.now(), dir: join(this.root, 'jobs', id), results: [] };
  }

  async run(job: BenchJob, profile: ServiceProfile, signal: AbortSignal): Promise<BenchJob> {
    const release = await this.limit.acquire(1, signal);
    job.startedAt = Date.now();
    try {
      await mkdir(job.dir, { recursive: true });
      const bytes = await readFile(job.source);
      const format = sniffFormat(bytes.subarray(0, 512)) as UpscalableFormat;
      const copy = join(job.dir, `source.${formatInfo[format].ext}`);
      await writeFile(copy, bytes);
      createHash('sha256').update(bytes).digest('hex');
      job.state = 'uploading';
      const outcome = await this.client.upscale(profile, await fileToUpload(copy, formatInfo[format].mime, basename(job.source)), job.params, { signal, onPhase: (p) => (job.state = p) }).finally(release);
      job.state = 'downloading';
      for (const [index, image] of outcome.images.entries()) {
        const part = join(job.dir, `result-${index}.part`);
        const downloaded = await this.client.download(image.url, part, signal);
        const path = join(job.dir, `result-${index}.${formatInfo[downloaded.format].ext}`);
        await rename(part, path);
        job.results.push(path);
      }
      job.state = 'done';
    } catch (err) {
      job.state = 'failed';
      job.error = (err as Error).message;
    }
    job.endedAt = Date.now();
    return job;
  }
}
