import { randomUUID } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FailureKind } from '../core/api/errors';
import type { UpscaleParams } from '../core/api/params';
import { t } from '../core/i18n';
import type { VariantRule } from '../core/files/variants';
import type { Size, UpscalableFormat } from '../core/images/format';
import { isEnded, JobState } from '../shared/jobState';
import { RecordFiles } from './recordFiles';

/** A copy kept in the extension's storage: the upload streams from it and the panel shows it. */
export interface StoredImage {
  readonly path: string;
  readonly format: UpscalableFormat;
  readonly size?: Size;
  readonly bytes: number;
}

export interface ResultRecord {
  readonly id: string;
  readonly withheld: boolean;
  readonly seed?: number;
  readonly stored?: StoredImage;
  /** Copies saved in the workspace (URI strings). */
  readonly saved: readonly string[];
  /** When this result replaced the original. */
  readonly replacedAt?: number;
  /** The original's transparency was put back into an opaque result. */
  readonly alphaRebuilt?: boolean;
  /** The original's transparency could not be lined up with a cropped or padded result, which stays opaque. */
  readonly alphaUnaligned?: boolean;
  /** False when the service cropped or padded: the proportions differ from the original's. */
  readonly aspectMatches?: boolean;
}

export interface JobRecord {
  readonly id: string;
  readonly source: vscode.Uri;
  readonly params: Readonly<UpscaleParams>;
  readonly state: JobState;
  /** Why the job failed (state `failed`), with its next step. */
  readonly failure?: string;
  readonly failureKind?: FailureKind;
  /** Why a later action on a done job's result (a replace, a save) was refused; cleared by the next one. */
  readonly actionError?: string;
  readonly startedAt: number;
  readonly endedAt?: number;
  readonly requestId?: string;
  /** The service's task, once it answered with one: what a resume polls instead of uploading again. */
  readonly taskId?: string;
  /** What the service said it billed for the job (`usage_cost_usd_micros`), when it said. */
  readonly billedUsdMicros?: number;
  readonly sourceCopy?: StoredImage;
  /** SHA-256 of the original as it was uploaded: a replace refuses when the file changed since. */
  readonly sourceHash?: string;
  readonly results: readonly ResultRecord[];
  /** The folder in the extension's storage that holds this job's files. */
  readonly dir: string;
  /** The run it belongs to: its name for the user (a folder) and where its results go. */
  readonly batch?: BatchInfo;
  /**
   * After the window closed during the job: what resuming it takes. `poll` asks the service for its
   * task (never sends it again), `send` sends it for the first time. Absent when it may have been
   * billed without an answer: only the user decides to send it again.
   */
  readonly resumable?: 'poll' | 'send';
  /** The preset the parameters came from (its label as the user read it), the service and the price per result when it was queued: what a summary says. */
  readonly preset?: string;
  readonly service?: string;
  readonly price?: { perResult: number; currency: string };
  /** How many times the service upscales this image (a target above 2x takes more than one), and the pass under way. */
  readonly passes?: number;
  readonly pass?: number;
}

/** Where a job's parameters and bill come from, as it is queued. */
export type JobOrigin = Pick<JobRecord, 'preset' | 'service' | 'price'>;

export interface BatchInfo {
  id: string;
  label: string;
  output: 'ask' | 'nextToOriginal' | 'replace';
  /** For a run whose target is `variants`: the files each image gets, as the setting was when it started. */
  variants?: VariantRule[];
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };
type MutableResult = Writable<ResultRecord> & { saved: string[] };
type MutableJob = Writable<Omit<JobRecord, 'results'>> & { results: MutableResult[] };

/** What the runner learns as a job goes through its steps. */
export type StepPatch = Partial<Pick<JobRecord, 'state' | 'startedAt' | 'requestId' | 'taskId' | 'billedUsdMicros' | 'sourceCopy' | 'sourceHash' | 'passes' | 'pass'>>;

/**
 * The one owner of every job's state. Only this class changes a job; each change is told to
 * whoever listens inside the call that made it, and the call settles once the change is in the
 * job's `job.json` (RecordFiles), so a reload or a crash loses no step.
 */
export class JobStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<JobRecord>();
  /** Each change of a job; a removed job is told once, after it left the list (`find` no longer has it). */
  readonly onDidChange = this.changed.event;
  private readonly all: MutableJob[] = [];
  /** The same jobs by id, and those not ended: a batch asks for them at each of its many changes. */
  private readonly byId = new Map<string, MutableJob>();
  private readonly notEnded = new Set<string>();
  private readonly files: RecordFiles;
  private loaded: Promise<void> | undefined;

  constructor(
    private readonly storageDir: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.files = new RecordFiles((line) => log.warn(line));
  }

  dispose(): void {
    this.changed.dispose();
  }

  get jobs(): readonly JobRecord[] {
    return this.all;
  }

  /** How many jobs have not ended. */
  get runningCount(): number {
    return this.notEnded.size;
  }

  find(id: string): JobRecord | undefined {
    return this.byId.get(id);
  }

  /** A new job, shown at once as queued. */
  async add(source: vscode.Uri, params: UpscaleParams, batch?: BatchInfo, origin?: JobOrigin): Promise<JobRecord> {
    const id = randomUUID();
    const job: MutableJob = { id, source, params: { ...params }, state: 'queued', startedAt: Date.now(), results: [], dir: join(this.storageDir, 'jobs', id), batch, ...origin };
    this.all.push(job);
    this.byId.set(id, job);
    this.told(job);
    await this.files.create(id, job.dir, () => textOf(job));
    return job;
  }

  // --- The runner's steps -----------------------------------------------------------------------

  step(jobId: string, patch: StepPatch): Promise<JobRecord> {
    const job = this.byId.get(jobId);
    // A phase told again (each attempt of an upload says it uploads) is no change to write.
    if (job && (Object.keys(patch) as (keyof StepPatch)[]).every((key) => job[key] === patch[key])) return this.files.settled(jobId).then(() => job);
    return this.change(jobId, (j) => Object.assign(j, patch));
  }

  /**
   * The job's upload is about to leave: on disk when this settles, so a crash from then on reads
   * as "may have been billed". Written at once (see RecordFiles.now): the job holds one of the
   * service's few slots meanwhile, and in a batch of 200 the thread pool's turn took a mean 23 ms.
   */
  async sending(jobId: string): Promise<JobRecord> {
    const job = this.byId.get(jobId);
    if (!job) throw new Error(`no job ${jobId}`);
    Object.assign(job, { state: 'uploading', startedAt: Date.now() });
    this.told(job);
    await this.files.now(jobId, job.dir, () => textOf(job));
    return job;
  }

  addResult(jobId: string, result: Omit<ResultRecord, 'saved'>): Promise<JobRecord> {
    return this.change(jobId, (job) => job.results.push({ ...result, saved: [] }));
  }

  finish(jobId: string): Promise<JobRecord> {
    return this.change(jobId, (job) => Object.assign(job, { state: 'done', endedAt: Date.now() }));
  }

  fail(jobId: string, failure: { message: string; kind?: FailureKind; requestId?: string }): Promise<JobRecord> {
    return this.change(jobId, (job) =>
      Object.assign(job, { state: 'failed', failure: failure.message, failureKind: failure.kind, requestId: failure.requestId ?? job.requestId, endedAt: Date.now() }),
    );
  }

  /** An interrupted job taken up again: queued, its failure gone, its task (if any) kept. */
  reopen(jobId: string): Promise<JobRecord> {
    return this.change(jobId, (job) => Object.assign(job, { state: 'queued', failure: undefined, failureKind: undefined, endedAt: undefined, resumable: undefined }));
  }

  cancelled(jobId: string): Promise<JobRecord> {
    return this.change(jobId, (job) => Object.assign(job, { state: 'cancelled', endedAt: Date.now() }));
  }

  // --- What is done with a result later ---------------------------------------------------------

  recordSaved(jobId: string, resultId: string, uri: vscode.Uri): Promise<JobRecord> {
    return this.changeResult(jobId, resultId, (r) => r.saved.push(uri.toString()));
  }

  recordReplaced(jobId: string, resultId: string, at: number): Promise<JobRecord> {
    return this.changeResult(jobId, resultId, (r) => (r.replacedAt = at));
  }

  recordRestored(jobId: string, resultId: string): Promise<JobRecord> {
    return this.changeResult(jobId, resultId, (r) => (r.replacedAt = undefined));
  }

  /** An action on a result was refused; said beside the job until the next action. */
  recordActionError(jobId: string, message: string | undefined): Promise<JobRecord> {
    return this.change(jobId, (job) => (job.actionError = message));
  }

  /**
   * Forgets these ended jobs and deletes their folders (source copy, results, record). A running
   * job is never removed. Returns the jobs removed.
   */
  async remove(ids: readonly string[]): Promise<JobRecord[]> {
    const wanted = new Set(ids);
    const removed = this.all.filter((j) => wanted.has(j.id) && isEnded(j.state));
    for (const job of removed) {
      this.all.splice(this.all.indexOf(job), 1);
      this.byId.delete(job.id);
      this.changed.fire(job);
    }
    for (const job of removed) {
      // A record still being written would make the folder again after it was deleted.
      await this.files.settled(job.id);
      await rm(job.dir, { recursive: true, force: true }).catch((err: Error) => this.log.warn(`could not delete ${job.dir}: ${err.message}`));
    }
    return removed;
  }

  // --- History ------------------------------------------------------------------------------------

  /** Earlier jobs of this workspace, read once from the extension's storage. */
  loadHistory(): Promise<void> {
    this.loaded ??= this.readHistory();
    return this.loaded;
  }

  /** Settles when every change made so far is on disk. */
  flushed(): Promise<void> {
    return this.files.flushed();
  }

  private async readHistory(): Promise<void> {
    const root = join(this.storageDir, 'jobs');
    const names = await readdir(root).catch(() => [] as string[]);
    const found: MutableJob[] = [];
    for (const name of names) {
      if (this.find(name)) continue;
      try {
        const raw = JSON.parse(await readFile(join(root, name, 'job.json'), 'utf8')) as Omit<MutableJob, 'source'> & { source: string };
        found.push({ ...raw, source: vscode.Uri.parse(raw.source) });
      } catch {
        // A job that never got far enough to be written: nothing to show.
      }
    }
    found.sort((a, b) => a.startedAt - b.startedAt);
    this.all.unshift(...found);
    for (const job of found) this.byId.set(job.id, job);
    // A job that was running when the window closed cannot go on by itself: it is told as such,
    // with what resuming it would take.
    for (const job of found.filter((j) => !isEnded(j.state))) {
      const resumable = job.taskId && job.results.length === 0 ? 'poll' : job.state === 'queued' ? 'send' : undefined;
      await this.change(job.id, (j) => (j.resumable = resumable));
      await this.fail(job.id, {
        kind: 'interrupted',
        message:
          resumable === 'poll'
            ? t('The window closed while the service worked on this image. Resuming asks the service for its result; nothing is sent again.')
            : resumable === 'send'
              ? t('The window closed before this image was sent; nothing was billed. Use "Run again" to upscale it.')
              : t('The window closed while this image was being upscaled; it may have been billed. Use "Run again" to upscale it anew.'),
      });
    }
  }

  private change(jobId: string, apply: (job: MutableJob) => unknown): Promise<JobRecord> {
    const job = this.byId.get(jobId);
    if (!job) return Promise.reject(new Error(`no job ${jobId}`));
    apply(job);
    return this.save(job);
  }

  private changeResult(jobId: string, resultId: string, apply: (result: MutableResult) => unknown): Promise<JobRecord> {
    return this.change(jobId, (job) => {
      const result = job.results.find((r) => r.id === resultId);
      if (!result) throw new Error(`no result ${resultId} in job ${jobId}`);
      apply(result);
    });
  }

  private async save(job: MutableJob): Promise<JobRecord> {
    this.told(job);
    await this.files.save(job.id, job.dir, () => textOf(job));
    return job;
  }

  /** Who listens hears of the change at once, before it is on disk. */
  private told(job: MutableJob): void {
    if (isEnded(job.state)) this.notEnded.delete(job.id);
    else this.notEnded.add(job.id);
    this.changed.fire(job);
  }
}

/** A job as its `job.json` holds it. */
function textOf(job: MutableJob): string {
  return JSON.stringify({ ...job, source: job.source.toString() });
}
