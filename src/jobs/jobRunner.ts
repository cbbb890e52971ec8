import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { UpscaleClient, UpscaleOutcome } from '../core/api/client';
import { ServiceProfile } from '../core/api/services';
import { fileToUpload } from '../core/api/uploadBody';
import { factorProblem } from '../core/api/v2';
import { readExifOrientation } from '../core/images/exif';
import { passesFor, sizeProblem, targetFactor } from '../core/images/target';
import { describeFailure, isCancellation, UpscaleError } from '../core/api/errors';
import { InFlightLimit } from '../core/batch/inFlight';
import { sha256 } from '../core/files/hash';
import { t } from '../core/i18n';
import { hasExtensionOf } from '../core/images/extensions';
import { formatInfo, isUpscalable, readSize, sniffFormat } from '../core/images/format';
import type { ImageWork } from './imageWork';
import { readBytes, statOf } from './fileAccess';
import { BatchInfo, JobOrigin, JobRecord, JobStore, StoredImage } from './jobStore';
import { keepResult, targetOf } from './results';

export interface RunnerDeps {
  client: () => UpscaleClient;
  /** The window's one in-flight limit, counted in images, shared by every batch and single upscale. */
  limit: InFlightLimit;
  maxUploadBytes: () => number;
  rebuildTransparency: () => boolean;
  /** Decoding and encoding, off the extension host's thread. */
  images: ImageWork;
  log: vscode.LogOutputChannel;
}

/**
 * Runs jobs: one source image through upload, service and download into the extension's storage,
 * where results outlive the service's expiring links and a window reload. Every step is recorded
 * in the store as it happens.
 */
export class JobRunner implements vscode.Disposable {
  private readonly aborts = new Map<string, AbortController>();
  /** Set when the extension host ends: a job stopped by that keeps its last recorded step, to be told as interrupted. */
  private disposed = false;
  /** The same first-come limiter as the service's images in flight, here counting jobs preparing at once. */
  private readonly preparing = new InFlightLimit(() => preparingAtOnce);

  constructor(
    readonly store: JobStore,
    private readonly deps: RunnerDeps,
  ) {}

  get images(): ImageWork {
    return this.deps.images;
  }

  dispose(): void {
    this.disposed = true;
    for (const abort of this.aborts.values()) abort.abort();
  }

  /** A job waiting for its turn in a batch: shown at once as queued, and cancellable from then on. */
  async enqueue(source: vscode.Uri, params: JobRecord['params'], batch?: BatchInfo, origin?: JobOrigin): Promise<JobRecord> {
    const job = await this.store.add(source, params, batch, origin);
    if (!this.aborts.has(job.id)) this.aborts.set(job.id, new AbortController());
    return job;
  }

  /**
   * Preparations start in the order the jobs asked, a few at a time: each is a chain of small file
   * reads and writes, and one after another they kept the first uploads of a batch waiting.
   */
  private async inTurn(signal: AbortSignal, work: () => Promise<void>): Promise<void> {
    const release = await this.preparing.acquire(1, signal);
    try {
      if (signal.aborted) throw new UpscaleError('cancelled', 'Cancelled.');
      await work();
    } finally {
      release();
    }
  }

  cancel(id: string): void {
    this.aborts.get(id)?.abort();
  }

  /** Settles when the job has ended, whatever its end; never throws. */
  run(job: JobRecord, profile: ServiceProfile, batch: AbortSignal): Promise<JobRecord> {
    let copy: StoredImage | undefined;
    const prepare = async () => {
      await mkdir(job.dir, { recursive: true });
      copy = await this.copySource(job);
    };
    return this.guarded(job, profile, batch, async (signal, store, makeRoom) => {
      if (!copy) throw new UpscaleError('interrupted', t('The copy of the original is gone; use "Run again".'));
      // On disk before a byte leaves: a crash from here on must not read as "nothing was sent".
      await store.sending(job.id);
      const upload = { path: copy.path, mime: formatInfo[copy.format].mime, fileName: basename(job.source.path), size: copy.bytes };
      return this.deps.client().upscale(profile, upload, job.params, {
        signal,
        onPhase: (state) => void store.step(job.id, { state }),
        onTask: (taskId, requestId) => void store.step(job.id, { taskId, requestId }),
        onInflightLimit: makeRoom,
      });
    }, prepare);
  }

  /**
   * Takes up a job whose task the service already had when the window closed: polls that task and
   * downloads its results; the upload is never sent again. Settles when the job has ended.
   */
  resume(job: JobRecord, profile: ServiceProfile, batch: AbortSignal): Promise<JobRecord> {
    return this.guarded(job, profile, batch, async (signal, store) => {
      if (!job.taskId || !job.sourceCopy) throw new UpscaleError('interrupted', t('This upscale cannot be resumed; use "Run again".'));
      await store.step(job.id, { startedAt: Date.now(), state: 'waiting' });
      return this.deps.client().resume(profile, job.taskId, job.requestId, { signal, onPhase: (state) => void store.step(job.id, { state }) });
    });
  }

  /**
   * One job's life around what reaches the service: what it needs before it is sent (read and
   * checked a few jobs at a time, in the order they were queued, so that a bad file fails at once
   * and a slot is never held while a file is read), its turn from the in-flight limit, the
   * downloads, the further passes a target above 2x takes, the checks of each result, and the
   * end recorded whatever it is.
   */
  private async guarded(job: JobRecord, profile: ServiceProfile, batch: AbortSignal, reach: (signal: AbortSignal, store: JobStore, makeRoom: () => Promise<void>) => Promise<UpscaleOutcome>, prepare?: () => Promise<void>): Promise<JobRecord> {
    // The job's own controller also ends when the batch is cancelled.
    const own = this.aborts.get(job.id) ?? new AbortController();
    this.aborts.set(job.id, own);
    const onBatchAbort = () => own.abort();
    if (batch.aborted) own.abort();
    batch.addEventListener('abort', onBatchAbort, { once: true });
    const signal = own.signal;
    const store = this.store;
    try {
      if (prepare) await this.inTurn(signal, prepare);
      if (signal.aborted) throw new UpscaleError('cancelled', 'Cancelled.');
      // Its clock starts with its turn (each reach records that before anything else).
      const outcome = await this.withRoom(job.params.numImages ?? 1, signal, (makeRoom) => reach(signal, store, makeRoom));
      await store.step(job.id, { state: 'downloading', requestId: outcome.requestId, taskId: outcome.taskId, ...(outcome.billedUsdMicros !== undefined ? { billedUsdMicros: outcome.billedUsdMicros } : {}) });
      const copy = store.find(job.id)?.sourceCopy;
      if (!copy) throw new UpscaleError('interrupted', t('The copy of the original is gone; use "Run again".'));
      // Every result is fetched before any is checked: the service's links expire.
      const parts = new Map<number, string>();
      for (const [index, image] of outcome.images.entries()) {
        if (!image.isImageSafe) continue;
        parts.set(index, join(job.dir, `result-${index}.part`));
        await this.deps.client().download(image.url, parts.get(index)!, signal);
      }
      const target = targetOf(job);
      const passes = store.find(job.id)?.passes ?? 1;
      for (let pass = 2; pass <= passes; pass++) {
        // From here a reload cannot resume by polling: the task recorded is the first pass's.
        await store.step(job.id, { pass, taskId: undefined });
        for (const [index, part] of parts) if (!(await this.passAgain(job, profile, part, signal))) parts.delete(index);
      }
      for (const [index, image] of outcome.images.entries()) {
        const part = parts.get(index);
        const kept = part ? await keepResult(this.deps.images, { part, stem: join(job.dir, `result-${index}`), source: copy, index, name: basename(job.source.path), target, rebuildTransparency: this.deps.rebuildTransparency() }) : undefined;
        if (kept?.alphaUnaligned) this.deps.log.info(`${basename(job.source.path)}: result ${index + 1} is cropped or padded and could not be lined up with the original; it is kept opaque.`);
        await store.addResult(job.id, { id: `r${index}`, withheld: !parts.has(index), seed: image.seed, ...kept });
      }
      await store.finish(job.id);
    } catch (err) {
      if (this.disposed) return job;
      if (isCancellation(err) || signal.aborted) {
        await store.cancelled(job.id);
      } else {
        this.deps.log.error(`${basename(job.source.path)}: ${describeFailure(err)}`);
        await store.fail(job.id, {
          message: describeFailure(err),
          kind: err instanceof UpscaleError ? err.kind : undefined,
          requestId: err instanceof UpscaleError ? err.details.requestId : undefined,
        });
      }
    } finally {
      batch.removeEventListener('abort', onBatchAbort);
      this.aborts.delete(job.id);
    }
    return this.store.find(job.id) ?? job;
  }

  /**
   * Runs `send` with room for `images` in the window's in-flight limit. Refused for too many in
   * flight, the window narrows, and this gives up its room and waits for room in the narrower
   * window before it is sent again, so fewer go at once. Downloading the images the service has
   * made does not count against its limit: the room is given back when `send` settles.
   */
  private async withRoom<T>(images: number, signal: AbortSignal, send: (makeRoom: () => Promise<void>) => Promise<T>): Promise<T> {
    let release: (() => void) | undefined = await this.deps.limit.acquire(images, signal);
    try {
      return await send(async () => {
        this.deps.limit.narrow();
        release?.();
        release = undefined;
        release = await this.deps.limit.acquire(images, signal);
      });
    } finally {
      release?.();
    }
  }

  /**
   * One more pass of the service over a result: its file is sent as a new upload (one image, the
   * same parameters; billed like the first) and the new result is downloaded over it. False when
   * the service withheld it as unsafe.
   */
  private async passAgain(job: JobRecord, profile: ServiceProfile, part: string, signal: AbortSignal): Promise<boolean> {
    const bytes = await readFile(part);
    const format = sniffFormat(bytes.subarray(0, 512));
    const name = basename(job.source.path);
    if (!isUpscalable(format)) throw new UpscaleError('input', t('The service returned something other than a PNG, JPEG or WebP image for {0}; it cannot be upscaled again.', name));
    if (bytes.length > this.deps.maxUploadBytes()) {
      throw new UpscaleError('input', t('The first pass made {0} a {1} MB file, over the {2} MB limit ("ideogramUpscale.maxUploadMB") for the next pass; choose a target of 2x or less, or raise the limit.', name, megabytes(bytes.length), megabytes(this.deps.maxUploadBytes())));
    }
    const sent = join(job.dir, 'pass-upload.' + formatInfo[format].ext);
    await rename(part, sent);
    const upload = await fileToUpload(sent, formatInfo[format].mime, name);
    const outcome = await this.withRoom(1, signal, (makeRoom) =>
      this.deps.client().upscale(profile, upload, { ...job.params, numImages: 1 }, { signal, onPhase: (state) => void this.store.step(job.id, { state }), onInflightLimit: makeRoom }),
    );
    const image = outcome.images[0];
    if (!image?.isImageSafe) return false;
    await this.store.step(job.id, { state: 'downloading' });
    await this.deps.client().download(image.url, part, signal);
    await rm(sent, { force: true });
    return true;
  }

  /** Reads the original once (any scheme, see fileAccess.ts) and checks it can be sent. */
  private async copySource(job: JobRecord): Promise<StoredImage> {
    const name = basename(job.source.path);
    let stat: { size: number; isFolder: boolean };
    try {
      stat = await statOf(job.source);
    } catch (err) {
      throw new UpscaleError('input', t('{0} cannot be read ({1}); check that it exists and can be opened.', name, (err as Error).message));
    }
    if (stat.isFolder) {
      throw new UpscaleError('input', t('{0} is a folder, not an image; choose the image files inside it.', name));
    }
    const limit = this.deps.maxUploadBytes();
    if (stat.size > limit) {
      throw new UpscaleError('input', t('{0} is {1} MB, over the {2} MB limit ("ideogramUpscale.maxUploadMB"); make it smaller first.', name, megabytes(stat.size), megabytes(limit)));
    }
    let bytes: Uint8Array;
    try {
      bytes = await readBytes(job.source);
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
    if (!hasExtensionOf(format, name)) {
      // Replacing it later would keep a name that lies about its content: better said now.
      throw new UpscaleError('input', t('{0} holds {1} data, not what its name says; rename it to .{2} first.', name, format.toUpperCase(), formatInfo[format].ext));
    }
    const size = readSize(bytes);
    const model = job.params.model;
    // The v2 upscalers refuse an output past 8,192 px a side: said before the upload, per image.
    const tooLarge = model && size && job.params.upscaleFactor ? factorProblem(model, job.params.upscaleFactor, Math.max(size.width, size.height)) : undefined;
    if (tooLarge) throw new UpscaleError('input', t('{0}: {1}. Choose a smaller factor.', name, tooLarge));
    // A target size is v1's: the v2 upscalers make the factor asked for in one request.
    const target = targetOf(job);
    const seen = size && ((readExifOrientation(bytes) ?? 1) >= 5 ? { width: size.height, height: size.width } : size);
    const problem = target && seen && sizeProblem(name, seen, target);
    if (problem) throw new UpscaleError('input', problem);
    const path = join(job.dir, `source.${formatInfo[format].ext}`);
    await writeFile(path, bytes);
    const copy: StoredImage = { path, format, size, bytes: bytes.length };
    await this.store.step(job.id, { sourceCopy: copy, sourceHash: sha256(bytes), passes: target && seen ? passesFor(targetFactor(seen, target)) : 1 });
    return copy;
  }
}

/** How many jobs read and check their originals at once. */
const preparingAtOnce = 4;

/** Three significant digits at most: 0.005, 9.87, 10. */
function megabytes(bytes: number): string {
  return String(+(bytes / 1024 / 1024).toPrecision(3));
}
