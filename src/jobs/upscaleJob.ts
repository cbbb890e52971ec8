import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { UpscaleClient } from '../core/api/client';
import { describeFailure, FailureKind, isCancellation, UpscaleError } from '../core/api/errors';
import { UpscaleParams } from '../core/api/params';
import { ServiceProfile } from '../core/api/services';
import { fileToUpload } from '../core/api/uploadBody';
import { t } from '../core/i18n';
import { formatInfo, isUpscalable, readSize, sniffFormat, Size, UpscalableFormat } from '../core/images/format';
import { JobState } from '../panel/protocol';

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
  /** Copies saved in the workspace (URI strings). */
  saved: string[];
  /** When this result replaced the original. */
  replacedAt?: number;
  /** The original's transparency was put back into an opaque result. */
  alphaRebuilt?: boolean;
  /** False when the service cropped or padded: the proportions differ from the original's. */
  aspectMatches?: boolean;
}

export interface JobRecord {
  id: string;
  source: vscode.Uri;
  params: UpscaleParams;
  state: JobState;
  error?: string;
  failureKind?: FailureKind;
  startedAt: number;
  endedAt?: number;
  requestId?: string;
  sourceCopy?: StoredImage;
  /** SHA-256 of the original as it was uploaded: a replace refuses when the file changed since. */
  sourceHash?: string;
  results: ResultRecord[];
  /** The folder in the extension's storage that holds this job's files. */
  dir: string;
}

export interface JobDeps {
  client: () => UpscaleClient;
  maxUploadBytes: () => number;
  rebuildTransparency: () => boolean;
  storageDir: string;
  log: vscode.LogOutputChannel;
}

const extensionsOf: Record<UpscalableFormat, string[]> = { png: ['png'], jpeg: ['jpg', 'jpeg', 'jpe', 'jfif'], webp: ['webp'] };

/**
 * Runs jobs (one source image through upload, service and download into the extension's storage),
 * keeps them on disk so results outlive the service's expiring links and a window reload, and
 * tells who listens of every change.
 */
export class JobRunner implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<JobRecord>();
  readonly onDidChange = this.changed.event;
  readonly jobs: JobRecord[] = [];
  private readonly aborts = new Map<string, AbortController>();
  private loaded: Promise<void> | undefined;

  constructor(private readonly deps: JobDeps) {}

  dispose(): void {
    for (const abort of this.aborts.values()) abort.abort();
    this.changed.dispose();
  }

  find(id: string): JobRecord | undefined {
    return this.jobs.find((j) => j.id === id);
  }

  get running(): JobRecord[] {
    return this.jobs.filter((j) => !isEnded(j.state));
  }

  /** A job waiting for its turn in a batch: shown at once as queued. */
  enqueue(source: vscode.Uri, params: UpscaleParams): JobRecord {
    const id = randomUUID();
    const job: JobRecord = { id, source, params, state: 'queued', startedAt: Date.now(), results: [], dir: join(this.deps.storageDir, 'jobs', id) };
    this.jobs.push(job);
    this.aborts.set(id, new AbortController());
    this.changed.fire(job);
    return job;
  }

  cancel(id: string): void {
    this.aborts.get(id)?.abort();
  }

  /** Settles when the job has ended, whatever its end; never throws. */
  async run(job: JobRecord, profile: ServiceProfile, batch: AbortSignal): Promise<JobRecord> {
    // The job's own controller also ends when the batch is cancelled.
    const own = this.aborts.get(job.id) ?? new AbortController();
    const onBatchAbort = () => own.abort();
    if (batch.aborted) own.abort();
    batch.addEventListener('abort', onBatchAbort, { once: true });
    const signal = own.signal;
    try {
      if (signal.aborted) throw new UpscaleError('cancelled', 'Cancelled.');
      job.startedAt = Date.now();
      await mkdir(job.dir, { recursive: true });
      await this.copySource(job);
      const copy = job.sourceCopy!;
      const upload = await fileToUpload(copy.path, formatInfo[copy.format].mime, basename(job.source.path));
      const outcome = await this.deps.client().upscale(profile, upload, job.params, {
        signal,
        onPhase: (phase) => this.update(job, { state: phase }),
      });
      job.requestId = outcome.requestId;
      this.update(job, { state: 'downloading' });
      // Every result is fetched before any is checked: the service's links expire.
      const parts = new Map<number, string>();
      for (const [index, image] of outcome.images.entries()) {
        if (!image.isImageSafe) continue;
        parts.set(index, join(job.dir, `result-${index}.part`));
        await this.deps.client().download(image.url, parts.get(index)!, signal);
      }
      for (const [index, image] of outcome.images.entries()) {
        const result: ResultRecord = { id: `r${index}`, withheld: !image.isImageSafe, seed: image.seed, saved: [] };
        const part = parts.get(index);
        if (part) result.stored = await this.check(job, index, part, result);
        job.results.push(result);
      }
      this.update(job, { state: 'done', endedAt: Date.now() });
    } catch (err) {
      const cancelled = isCancellation(err) || signal.aborted;
      if (!cancelled) this.deps.log.error(`${basename(job.source.path)}: ${describeFailure(err)}`);
      this.update(job, {
        state: cancelled ? 'cancelled' : 'failed',
        error: cancelled ? undefined : describeFailure(err),
        failureKind: err instanceof UpscaleError ? err.kind : undefined,
        requestId: (err instanceof UpscaleError ? err.details.requestId : undefined) ?? job.requestId,
        endedAt: Date.now(),
      });
    } finally {
      batch.removeEventListener('abort', onBatchAbort);
      this.aborts.delete(job.id);
    }
    await this.persist(job);
    return job;
  }

  /** Records a change made after the job ended (a save, a replace) and tells the panel. */
  async touch(job: JobRecord): Promise<void> {
    this.changed.fire(job);
    await this.persist(job);
  }

  /** Earlier jobs of this workspace, read once from the extension's storage. */
  loadHistory(): Promise<void> {
    this.loaded ??= this.readHistory();
    return this.loaded;
  }

  private async readHistory(): Promise<void> {
    const root = join(this.deps.storageDir, 'jobs');
    const names = await readdir(root).catch(() => [] as string[]);
    const found: JobRecord[] = [];
    for (const name of names) {
      if (this.find(name)) continue;
      try {
        const raw = JSON.parse(await readFile(join(root, name, 'job.json'), 'utf8')) as Omit<JobRecord, 'source'> & { source: string };
        found.push({ ...raw, source: vscode.Uri.parse(raw.source) });
      } catch {
        // A job that never got far enough to be written: nothing to show.
      }
    }
    found.sort((a, b) => a.startedAt - b.startedAt);
    this.jobs.unshift(...found);
  }

  private async persist(job: JobRecord): Promise<void> {
    try {
      await mkdir(job.dir, { recursive: true });
      await writeFile(join(job.dir, 'job.json'), JSON.stringify({ ...job, source: job.source.toString() }));
    } catch (err) {
      this.deps.log.warn(`could not record job ${job.id}: ${(err as Error).message}`);
    }
  }

  /**
   * Gives an opaque result back the original's transparency and compares proportions, before
   * anything is saved. The codecs load here, on first use.
   */
  private async check(job: JobRecord, index: number, part: string, result: ResultRecord): Promise<StoredImage> {
    const { checkResult } = require('../core/images/assetSafety') as typeof import('../core/images/assetSafety');
    const checked = await checkResult(await readFile(job.sourceCopy!.path), await readFile(part), { rebuildTransparency: this.deps.rebuildTransparency() });
    const path = join(job.dir, `result-${index}.${formatInfo[checked.format].ext}`);
    if (checked.alphaRebuilt) {
      await writeFile(path, checked.bytes);
      await rm(part, { force: true });
    } else {
      await rename(part, path);
    }
    result.alphaRebuilt = checked.alphaRebuilt;
    result.aspectMatches = checked.aspect?.matches;
    return { path, format: checked.format, bytes: checked.bytes.length, size: checked.size };
  }

  /** Reads the original once through `workspace.fs` (remote workspaces too) and checks it can be sent. */
  private async copySource(job: JobRecord): Promise<void> {
    const name = basename(job.source.path);
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(job.source);
    } catch (err) {
      throw new UpscaleError('input', t('{0} cannot be read ({1}); check that it exists and can be opened.', name, (err as Error).message));
    }
    if (stat.type & vscode.FileType.Directory) {
      throw new UpscaleError('input', t('{0} is a folder, not an image; choose the image files inside it.', name));
    }
    const limit = this.deps.maxUploadBytes();
    if (stat.size > limit) {
      throw new UpscaleError('input', t('{0} is {1} MB, over the {2} MB limit ("ideogramUpscale.maxUploadMB"); make it smaller first.', name, megabytes(stat.size), megabytes(limit)));
    }
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(job.source);
    } catch (err) {
      throw new UpscaleError('input', t('{0} cannot be read ({1}); check that it exists and can be opened.', name, (err as Error).message));
    }
    if (bytes.length === 0) {
      throw new UpscaleError('input', t('{0} is empty; choose a PNG, JPEG or WebP image.', name));
    }
    const format = sniffFormat(bytes.subarray(0, 512));
    if (!isUpscalable(format)) {
      const what = format ? t('a {0} image', format.toUpperCase()) : t('not a PNG, JPEG or WebP image');
      throw new UpscaleError('input', t('{0} is {1}; the service takes PNG, JPEG and WebP.', name, what));
    }
    const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
    if (!extensionsOf[format].includes(ext)) {
      // Replacing it later would keep a name that lies about its content: better said now.
      throw new UpscaleError('input', t('{0} holds {1} data, not what its name says; rename it to .{2} first.', name, format.toUpperCase(), formatInfo[format].ext));
    }
    const path = join(job.dir, `source.${formatInfo[format].ext}`);
    await writeFile(path, bytes);
    job.sourceCopy = { path, format, size: readSize(bytes), bytes: bytes.length };
    job.sourceHash = sha256(bytes);
  }

  private update(job: JobRecord, patch: Partial<JobRecord>): void {
    Object.assign(job, patch);
    this.changed.fire(job);
  }
}

/** Three significant digits at most: 0.005, 9.87, 10. */
function megabytes(bytes: number): string {
  return String(+(bytes / 1024 / 1024).toPrecision(3));
}

export function isEnded(state: JobState): boolean {
  return state === 'done' || state === 'failed' || state === 'cancelled';
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
