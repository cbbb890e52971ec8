import { randomUUID } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { ServiceProfile, UpscaleClient } from '../core/api/client';
import { describeFailure, isCancellation, UpscaleError } from '../core/api/errors';
import { UpscaleParams } from '../core/api/params';
import { formatInfo, isUpscalable, readSize, sniffFormat, Size, UpscalableFormat } from '../core/images/format';
import { JobState } from '../panel/protocol';
import { saveNextToOriginal } from './saving';

/** A copy kept in the extension's storage: the upload streams from it and the panel shows it. */
export interface StoredImage {
  path: string;
  format: UpscalableFormat;
  size?: Size;
  bytes: number;
}

export interface ResultRecord {
  id: string;
  withheld: boolean;
  seed?: number;
  stored?: StoredImage;
  savedTo?: vscode.Uri;
}

export interface JobRecord {
  id: string;
  source: vscode.Uri;
  params: UpscaleParams;
  state: JobState;
  error?: string;
  failure?: UpscaleError;
  startedAt: number;
  endedAt?: number;
  requestId?: string;
  sourceCopy?: StoredImage;
  results: ResultRecord[];
  /** The folder in the extension's storage that holds this job's files. */
  dir: string;
}

export interface JobDeps {
  client: () => UpscaleClient;
  storageDir: string;
  log: vscode.LogOutputChannel;
}

/** Runs jobs (one source image through upload, service, download and save) and tells who listens. */
export class JobRunner implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<JobRecord>();
  readonly onDidChange = this.changed.event;
  readonly jobs: JobRecord[] = [];

  constructor(private readonly deps: JobDeps) {}

  dispose(): void {
    this.changed.dispose();
  }

  find(id: string): JobRecord | undefined {
    return this.jobs.find((j) => j.id === id);
  }

  /** Settles when the job has ended, whatever its end; never throws. */
  async run(source: vscode.Uri, params: UpscaleParams, profile: ServiceProfile, signal: AbortSignal): Promise<JobRecord> {
    const id = randomUUID();
    const job: JobRecord = { id, source, params, state: 'queued', startedAt: Date.now(), results: [], dir: join(this.deps.storageDir, 'jobs', id) };
    this.jobs.push(job);
    this.update(job, {});
    try {
      await mkdir(job.dir, { recursive: true });
      job.sourceCopy = await this.copySource(job);
      this.update(job, { state: 'uploading' });
      const { format } = job.sourceCopy;
      const blob = await openAsBlob(job.sourceCopy.path, { type: formatInfo[format].mime });
      const outcome = await this.deps.client().upscale(profile, { blob, fileName: basename(source.path) }, params, {
        signal,
        onPhase: (phase) => this.update(job, { state: phase }),
      });
      job.requestId = outcome.requestId;
      this.update(job, { state: 'downloading' });
      for (const [index, image] of outcome.images.entries()) {
        const result: ResultRecord = { id: `r${index}`, withheld: !image.isImageSafe, seed: image.seed };
        if (image.isImageSafe) {
          const part = join(job.dir, `result-${index}.part`);
          const downloaded = await this.deps.client().download(image.url, part, signal);
          const path = join(job.dir, `result-${index}.${formatInfo[downloaded.format].ext}`);
          await rename(part, path);
          result.stored = { path, format: downloaded.format, bytes: downloaded.bytes, size: await sizeOf(path) };
        }
        job.results.push(result);
      }
      for (const result of job.results) {
        if (result.stored) {
          result.savedTo = await saveNextToOriginal(source, job.sourceCopy.format, result.stored);
        }
      }
      this.update(job, { state: 'done', endedAt: Date.now() });
    } catch (err) {
      const cancelled = isCancellation(err) || signal.aborted;
      const failure = err instanceof UpscaleError ? err : undefined;
      this.deps.log.error(`${basename(source.path)}: ${describeFailure(err)}`);
      this.update(job, {
        state: cancelled ? 'cancelled' : 'failed',
        error: cancelled ? undefined : describeFailure(err),
        failure,
        requestId: failure?.details.requestId ?? job.requestId,
        endedAt: Date.now(),
      });
    }
    return job;
  }

  private async copySource(job: JobRecord): Promise<StoredImage> {
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(job.source);
    } catch (err) {
      throw new UpscaleError('input', `${basename(job.source.path)} cannot be read: ${(err as Error).message}`);
    }
    if (bytes.length === 0) {
      throw new UpscaleError('input', `${basename(job.source.path)} is empty.`);
    }
    const format = sniffFormat(bytes.subarray(0, 512));
    if (!isUpscalable(format)) {
      const what = format ? format.toUpperCase() : 'not an image the service accepts';
      throw new UpscaleError('input', `${basename(job.source.path)} is ${format ? `a ${what} image` : what}; the service takes PNG, JPEG and WebP.`);
    }
    const path = join(job.dir, `source.${formatInfo[format].ext}`);
    await writeFile(path, bytes);
    return { path, format, size: readSize(bytes), bytes: bytes.length };
  }

  private update(job: JobRecord, patch: Partial<JobRecord>): void {
    Object.assign(job, patch);
    this.changed.fire(job);
  }
}

async function sizeOf(path: string): Promise<Size | undefined> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(65536);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return readSize(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
