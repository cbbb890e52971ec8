import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DamagedImage } from '../core/images/bytes';
import type { ImageReply, ImageTask, ImageTasks } from '../core/images/imageTasks';

type Result<T extends ImageTask> = Awaited<ReturnType<ImageTasks[T]>>;

/** A worker with nothing to do for this long is stopped: its codecs hold tens of megabytes. */
const idleMs = 30_000;

/**
 * Runs the image work of src/core/images/imageTasks.ts on a worker thread (dist/imageWorker.js),
 * so that the extension host's thread stays free for the other jobs' requests, and for the other
 * extensions.
 */
export class ImageWork {
  private worker: Worker | undefined;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (value: never) => void; reject: (err: Error) => void }>();
  private idle: NodeJS.Timeout | undefined;

  constructor(
    /** The l10n bundle of the extension host (`vscode.l10n.bundle`): the worker's messages are the user's words too. */
    private readonly bundle: Record<string, string> | undefined,
    private readonly script = join(__dirname, 'imageWorker.js'),
  ) {}

  run<T extends ImageTask>(task: T, ...args: Parameters<ImageTasks[T]>): Promise<Result<T>> {
    clearTimeout(this.idle);
    const worker = this.start();
    const id = ++this.next;
    return new Promise<Result<T>>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, task, args });
    });
  }

  dispose(): void {
    clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = undefined;
    this.rejectAll(new Error('the image worker was stopped'));
    void worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // A young generation of 2 MB: the pixels of each decode are buffers outside V8's heap, freed
    // only by a collection, and the worker's few other allocations would leave tens of megabytes
    // of them waiting for one (40 MB after 67 checks of the logo by default, 24–28 MB with this).
    const worker = new Worker(this.script, { workerData: { bundle: this.bundle }, resourceLimits: { maxYoungGenerationSizeMb: 2 } });
    worker.on('message', (reply: ImageReply) => this.answer(reply));
    // Only the current worker's end fails what waits: a stopped one may exit after the next started.
    const stopped = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.rejectAll(err);
    };
    worker.on('error', stopped);
    worker.on('exit', (code) => stopped(new Error(`the image worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private rejectAll(err: Error): void {
    for (const { reject } of this.waiting.values()) reject(err);
    this.waiting.clear();
  }

  private answer(reply: ImageReply): void {
    const waiting = this.waiting.get(reply.id);
    this.waiting.delete(reply.id);
    if ('error' in reply) {
      const Kind = reply.error.name === 'DamagedImage' ? DamagedImage : Error;
      waiting?.reject(new Kind(reply.error.message));
    } else {
      waiting?.resolve(reply.value as never);
    }
    if (this.waiting.size === 0) this.idle = setTimeout(() => this.dispose(), idleMs).unref();
  }
}
