import { createHash, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { loadCodecs, Pixels } from '../../src/core/images/codecs';
import { answerWithStatus, Fault, FaultName, faults, resetMidUpload, trickle } from './faults';
import { flattenOnBlack, halfSize, windowOf } from '../support/imageFixtures';
import { formatInfo, sniffFormat, isUpscalable, UpscalableFormat } from '../../src/core/images/format';
import { resize, V2Service } from './v2';

/**
 * A stand-in for the upscale service, on 127.0.0.1, answering as ../shared/api/ describes:
 * the gateway path with a Bearer key and the official path with an Api-Key header, three answer
 * shapes, tasks that must be polled, and result links that serve real images at twice the size.
 */
export interface EmulatorOptions {
  /** The key the service accepts; undefined accepts any non-empty key. */
  key?: string;
  /** How the submit path answers: Ideogram's list, a gateway's wrapped list, or a task to poll. */
  shape: 'sync' | 'wrapped' | 'task';
  /** How long a task stays "processing" before it ends. */
  taskMs: number;
  /** How a task ends. */
  taskOutcome: 'succeed' | 'failed';
  /** Uploads of these file names are refused with this status and body (one failing job of a batch). */
  refuseFiles?: Record<string, FileFault>;
  /** Answer in this format whatever the upload's (real services may return PNG for a JPEG). */
  resultFormat?: UpscalableFormat;
  /** Results flattened onto an opaque black background, as many upscalers return them. */
  flatten?: boolean;
  /** Results cropped to a centred square, as a service that crops to a supported aspect ratio. */
  crop?: 'square';
  /** Results padded with white to a centred square, as a service that letterboxes to a supported aspect ratio. */
  pad?: 'square';
  /** A failure to produce (see faults.ts), for the first `faultTimes` requests it applies to. */
  fault?: FaultName;
  faultTimes?: number;
  /**
   * Parse each upload fully (multipart body, size and format checks) but skip decoding and
   * upscaling it: every result is one small stored PNG. Requests then cost transfer and parsing only.
   */
  echoOnly?: boolean;
  /**
   * Results are files of this many bytes (a PNG header, then padding), made while they are sent
   * and never held in memory; the upload is not decoded.
   */
  largeResultBytes?: number;
  /** The first this many task queries answer 429 with `Retry-After: queryRetryAfterSeconds`. */
  rateLimitQueries?: number;
  /** The `Retry-After` of those 429 answers, in seconds (default 2). */
  queryRetryAfterSeconds?: number;
  /**
   * Images in flight the organisation may have (Ideogram: 10); an upload that would pass it is
   * refused with 429 `reject_reason: "inflight_limit"`. Unset: no limit, only counted.
   */
  inflightLimit?: number;
  /**
   * Where tasks are queried, with `{task_id}` (default `/ideogram/upscale/{task_id}`), as gateways
   * that put them elsewhere do; `ideogramUpscale.taskQueryPath` must then say the same.
   */
  taskPath?: string;
  /** The origin a result link redirects to under the `resultOnAnotherHost` fault (a CDN in front of the files). */
  cdn?: string;
  /** What Ideogram's v2 upscalers charge per started output megapixel, in millionths of a dollar (default 10,000). */
  v2MicrosPerMegapixel?: number;
}

/**
 * What an upload of one file name meets: a refusal (`times` times, then it is taken), an upload
 * that is read and never answered (`hang`), or a task that ends failed (`failTask`).
 */
export interface FileFault {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  times?: number;
  hang?: boolean;
  failTask?: boolean;
  /** This file's task takes this long instead of `taskMs`. */
  taskMs?: number;
}

export interface EmulatorStats {
  /** Uploads received, refused ones included. */
  submits: number;
  taskQueries: number;
  downloads: number;
  /** Headers of the last upload, as received. */
  lastHeaders: IncomingMessage['headers'];
  /** The last `image_request` received, parsed. */
  lastImageRequest: Record<string, unknown> | undefined;
  /** Requests answered with the configured fault. */
  faultsServed: number;
  /** The most images in flight at once (uploads being answered, tasks not yet ended), counted in `num_images`. */
  maxInFlight: number;
  /** Uploads refused with `inflight_limit`. */
  inflightRefusals: number;
  /** Uploads taken (answered with images or a task), by file name: more than one is a duplicate. */
  acceptedByName: Record<string, number>;
  /** The `image_request` of each upload, parsed, by file name, in the order received. */
  requestsByName: Record<string, Record<string, unknown>[]>;
  /** Connections the clients opened. */
  connections: number;
  /**
   * For the bench's account of a batch's rounds (Date.now()): when each upload arrived, when a
   * query first found each task ended, and how many queries found a task still running.
   */
  arrivals: { submits: number[]; ended: number[]; early: number };
}

interface Task {
  id: string;
  createdAt: number;
  neverEnds?: boolean;
  /** How long it takes, when not the emulator's `taskMs`. */
  durationMs?: number;
  /** Images asked for; they count as in flight until the task ends. */
  count: number;
  /** Undefined while the pictures are being made; `readyAt` is when they were. */
  readyAt?: number;
  /** A query has found it ended. */
  endSeen?: boolean;
  images?: { url: string; seed: number; resolution: string }[];
  failMessage?: string;
}

const defaults: EmulatorOptions = { shape: 'sync', taskMs: 0, taskOutcome: 'succeed' };

export class Emulator {
  options: EmulatorOptions;
  /** The `image_file` of the last upload, as received. */
  private lastFile: Blob | undefined;
  readonly stats: EmulatorStats = freshStats();
  /** Images of uploads being answered right now (a task's count from its creation until it ends). */
  private answering = 0;
  private readonly files = new Map<string, { bytes: Uint8Array; mime: string }>();
  /** What `upscaleOnce` made, by upload and options. */
  private readonly made = new Map<string, Promise<{ bytes: Uint8Array; mime: string; resolution: string }[]>>();
  private readonly tasks = new Map<string, Task>();
  /** Results of `largeResultBytes`: their sizes, the bytes being made as they are served. */
  private readonly largeFiles = new Map<string, number>();
  private server: Server | undefined;
  private origin = '';
  /** Ideogram's v2 upscalers and their generations (see v2.ts). */
  readonly v2: V2Service;

  constructor(options: Partial<EmulatorOptions> = {}) {
    this.options = { ...defaults, ...options };
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    this.v2 = new V2Service({
      // Read at each request: reset() puts new options in place.
      get options() {
        return self.options;
      },
      takeFault: (phase) => this.takeFault(phase),
      inFlight: () => this.answering + this.runningTaskImages(),
      noteInFlight: (count) => (this.stats.maxInFlight = Math.max(this.stats.maxInFlight, count)),
      inflightRefused: () => this.stats.inflightRefusals++,
      accepted: (name) => (this.stats.acceptedByName[name] = (this.stats.acceptedByName[name] ?? 0) + 1),
      store: (bytes, mime, ext) => {
        const name = `${randomUUID()}.${ext}`;
        this.files.set(name, { bytes, mime });
        return this.fileUrl(name);
      },
    });
  }

  get url(): string {
    return this.origin;
  }

  /** With `tls`, it serves https with that key and certificate. */
  async start(port = 0, host = '127.0.0.1', tls?: { key: string; cert: string }): Promise<string> {
    const listener: RequestListener = (req, res) => {
      this.handle(req, res).catch((err) => {
        if (!res.headersSent) {
          json(res, 500, { error: `emulator: ${(err as Error).message}` });
        } else {
          res.destroy();
        }
      });
    };
    const server: Server = tls ? createTlsServer(tls, listener) : createServer(listener);
    server.on(tls ? 'secureConnection' : 'connection', () => this.stats.connections++);
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    this.server = server;
    this.origin = `${tls ? 'https' : 'http'}://${host}:${(server.address() as AddressInfo).port}`;
    return this.origin;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /**
   * Back to the options given and zeroed counters. A task that never ends was given up by its
   * client; it is dropped, or it would count against the next test's images in flight.
   */
  reset(options: Partial<EmulatorOptions> = {}): void {
    for (const [id, task] of this.tasks) if (task.neverEnds) this.tasks.delete(id);
    this.options = { ...defaults, ...options };
    Object.assign(this.stats, freshStats());
    this.lastFile = undefined;
    this.v2.reset();
  }

  /** SHA-256 (hex) of the last `image_file` received whole, to compare with what was sent. */
  async lastFileSha256(): Promise<string | undefined> {
    return this.lastFile && createHash('sha256').update(new Uint8Array(await this.lastFile.arrayBuffer())).digest('hex');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const path = url.pathname;
    if (req.method === 'GET' && path.startsWith('/files/')) {
      const fault = this.takeFault('download');
      if (fault) return this.downloadFault(fault, url, res);
      return this.serveFile(path.slice('/files/'.length), res);
    }
    const v2 = this.v2.matches(req.method, path);
    if (v2 === 'query') {
      if (!this.authorised(req, 'api-key')) return json(res, 401, { error: 'Invalid API key' });
      return this.v2.query(path, res);
    }
    if (req.method === 'POST' && (path === '/ideogram/upscale' || path === '/upscale' || v2 === 'submit')) {
      // Every upload counts, accepted or not: each one may cost the user money.
      this.stats.submits++;
      this.stats.arrivals.submits.push(Date.now());
      this.stats.lastHeaders = req.headers;
      if (!this.authorised(req, path === '/ideogram/upscale' ? 'bearer' : 'api-key')) {
        return json(res, 401, { error: { message: 'Invalid API key', type: 'invalid_request_error' }, request_id: requestId() });
      }
      const fault = this.takeFault('submit');
      if (fault?.action === 'reset') return resetMidUpload(req);
      if (fault?.action === 'hang') return void req.resume(); // reads the upload, never answers
      if (fault) {
        req.resume();
        answerWithStatus(fault, res, requestId());
        return;
      }
      return v2 ? this.v2.submit(req, url, res) : this.submit(req, res);
    }
    const task = taskRoute(this.options.taskPath ?? '/ideogram/upscale/{task_id}').exec(path);
    if (req.method === 'GET' && task) {
      if (!this.authorised(req, 'bearer')) {
        return json(res, 401, { error: { message: 'Invalid API key' } });
      }
      return this.query(decodeURIComponent(task[1]), res);
    }
    json(res, 404, { error: `no route for ${req.method} ${path}` });
  }

  private authorised(req: IncomingMessage, scheme: 'bearer' | 'api-key'): boolean {
    const given = scheme === 'bearer' ? /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] : req.headers['api-key'];
    if (typeof given !== 'string' || given.trim() === '') {
      return false;
    }
    return this.options.key === undefined || given === this.options.key;
  }

  private async submit(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let form: FormData;
    try {
      form = await new Request(`${this.origin}/`, {
        method: 'POST',
        headers: req.headers as Record<string, string>,
        body: Readable.toWeb(req) as ReadableStream,
        duplex: 'half',
      } as RequestInit).formData();
    } catch (err) {
      return json(res, 400, { error: `the body is not multipart/form-data: ${(err as Error).message}` });
    }
    const file = form.get('image_file');
    if (!(file instanceof Blob)) {
      return json(res, 400, { error: 'image_file is required' });
    }
    this.lastFile = file;
    const name = file instanceof File ? file.name : '';
    const refusal = this.options.refuseFiles?.[name];
    let failTask = false;
    const durationMs = refusal?.taskMs;
    const faulty = refusal !== undefined && (refusal.status !== undefined || refusal.hang || refusal.failTask);
    if (faulty && (refusal.times === undefined || refusal.times > 0)) {
      if (refusal.times !== undefined) refusal.times--;
      if (refusal.hang) return; // read, never answered
      if (refusal.failTask) failTask = true;
      else {
        res.writeHead(refusal.status ?? 500, { 'content-type': 'application/json', ...refusal.headers });
        return void res.end(JSON.stringify(refusal.body ?? { error: 'refused' }));
      }
    }
    let request: Record<string, unknown> = {};
    const raw = form.get('image_request');
    if (typeof raw === 'string' && raw.trim() !== '') {
      try {
        request = JSON.parse(raw);
      } catch {
        return json(res, 400, { error: 'image_request is not valid JSON' });
      }
    }
    this.stats.lastImageRequest = request;
    (this.stats.requestsByName[name] ??= []).push(request);
    const problem = validate(request);
    if (problem) {
      return json(res, 400, { error: problem });
    }
    // Without decoding, only the head is needed (the body was parsed all the same).
    const decodes = !this.options.echoOnly && this.options.largeResultBytes === undefined;
    const bytes = new Uint8Array(await (decodes ? file : file.slice(0, 64)).arrayBuffer());
    if (file.size > 25 * 1024 * 1024) {
      return json(res, 413, { error: 'image_file is larger than 25 MB' });
    }
    if (!isUpscalable(sniffFormat(bytes))) {
      return json(res, 400, { error: 'image_file must be a JPEG, PNG or WebP image' });
    }
    const count = typeof request.num_images === 'number' ? request.num_images : 1;
    const inFlight = this.answering + this.runningTaskImages();
    if (this.options.inflightLimit !== undefined && inFlight + count > this.options.inflightLimit) {
      this.stats.inflightRefusals++;
      return json(res, 429, { error: 'Too many images in flight', reject_reason: 'inflight_limit', max_inflight_requests: this.options.inflightLimit });
    }
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, inFlight + count);
    this.answering += count;
    this.stats.acceptedByName[name] = (this.stats.acceptedByName[name] ?? 0) + 1;
    try {
      await this.answerUpload(res, request, bytes, count, failTask, durationMs);
    } finally {
      this.answering -= count;
    }
  }

  /** Images of tasks that have not ended yet: they stay in flight until the service finishes them. */
  private runningTaskImages(): number {
    let images = this.v2.running();
    const now = Date.now();
    for (const task of this.tasks.values()) {
      if (task.neverEnds || !task.images || now - task.createdAt < (task.durationMs ?? this.options.taskMs)) images += task.count;
    }
    return images;
  }

  private async answerUpload(res: ServerResponse, request: Record<string, unknown>, bytes: Uint8Array, count: number, failTask: boolean, durationMs?: number): Promise<void> {
    const seed = typeof request.seed === 'number' ? request.seed : Math.floor(Math.random() * 2147483647);
    const resultFault = this.takeFault('result')?.action;
    const making = this.options.largeResultBytes !== undefined ? Promise.resolve(this.largeResults(this.options.largeResultBytes, count)) : this.options.echoOnly ? Promise.resolve(this.storedResults(count)) : this.upscaleOnce(bytes, count, resultFault === 'smaller');
    const unsafe = resultFault === 'unsafe';
    const safeAt = (i: number, all: number) => !unsafe && !(resultFault === 'oneUnsafe' && i === all - 1);
    const imagesOf = (made: { url: string; resolution: string }[]) => made.map((m, i) => ({ url: unsafe ? '' : m.url, safe: safeAt(i, made.length), seed: seed + i, resolution: m.resolution }));
    const id = requestId();
    if (this.options.shape === 'task') {
      // A task service answers at once and makes the pictures while the task runs.
      const task: Task = { id: randomUUID(), createdAt: Date.now(), count, images: undefined, durationMs };
      making.then(
        (made) => ((task.images = imagesOf(made)), (task.readyAt = Date.now())),
        (err: Error) => ((task.images = []), (task.failMessage = `upscale failed: ${err.message}`)),
      );
      const fault = this.takeFault('task');
      if (this.options.taskOutcome === 'failed' || fault?.action === 'fail' || failTask) {
        task.failMessage = 'upscale failed: image could not be processed';
      }
      task.neverEnds = fault?.action === 'never';
      this.tasks.set(task.id, task);
      return json(res, 200, {
        code: 0,
        message: 'SUCCEED',
        request_id: id,
        data: { task_id: task.id, task_status: 'submitted', created_at: task.createdAt, updated_at: task.createdAt },
      });
    }
    const images = imagesOf(await making);
    const list = {
      created: new Date().toISOString(),
      data: images.map((i) => ({
        url: i.url,
        prompt: typeof request.prompt === 'string' ? request.prompt : '',
        resolution: i.resolution,
        upscaled_resolution: i.resolution,
        is_image_safe: i.safe,
        seed: i.seed,
      })),
    };
    res.setHeader('x-request-id', id);
    return json(res, 200, this.options.shape === 'wrapped' ? { code: 0, message: 'success', request_id: id, data: list } : list);
  }

  private query(id: string, res: ServerResponse): void {
    this.stats.taskQueries++;
    const fault = this.takeFault('query');
    if (fault && answerWithStatus(fault, res, requestId())) return;
    const limited = this.options.rateLimitQueries ?? 0;
    if (limited > 0) {
      this.options.rateLimitQueries = limited - 1;
      const text = JSON.stringify({ error: 'Too many requests', request_id: requestId() });
      res.writeHead(429, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'retry-after': String(this.options.queryRetryAfterSeconds ?? 2) }).end(text);
      return;
    }
    const task = this.tasks.get(id);
    if (!task) {
      return json(res, 404, { code: 1201, message: `task ${id} not found` });
    }
    const done = !task.neverEnds && task.images !== undefined && Date.now() - task.createdAt >= (task.durationMs ?? this.options.taskMs);
    const status = !done ? 'processing' : task.failMessage ? 'failed' : 'succeed';
    if (!done) this.stats.arrivals.early++;
    else if (!task.endSeen) {
      task.endSeen = true;
      this.stats.arrivals.ended.push(Date.now());
    }
    json(res, 200, {
      code: 0,
      message: 'SUCCEED',
      request_id: requestId(),
      data: {
        task_id: task.id,
        task_status: status,
        task_status_msg: status === 'failed' ? task.failMessage : '',
        created_at: task.createdAt,
        // When the status last changed, as a service reports it: a finished task's end.
        updated_at: done ? Math.max(task.createdAt + (task.durationMs ?? this.options.taskMs), task.readyAt ?? 0) : Date.now(),
        task_result: status === 'succeed' ? { images: task.images!.filter((img) => img.url !== '').map((img, index) => ({ index, url: img.url })) } : undefined,
      },
    });
  }

  /** The configured fault, when it applies to this phase and has uses left. */
  private takeFault(phase: Fault['phase']): Fault | undefined {
    const name = this.options.fault;
    if (!name) return undefined;
    const fault: Fault = faults[name];
    if (fault.phase !== phase) return undefined;
    const left = this.options.faultTimes ?? Infinity;
    if (left <= 0) return undefined;
    this.options.faultTimes = left - 1;
    this.stats.faultsServed++;
    return fault;
  }

  private downloadFault(fault: Fault, url: URL, res: ServerResponse): void {
    this.stats.downloads++;
    if (answerWithStatus(fault, res, requestId())) return;
    if (fault.action === 'trickle') return trickle(res);
    const file = this.files.get(url.pathname.slice('/files/'.length));
    if (fault.action === 'cutShort' && file) {
      const part = file.bytes.subarray(0, Math.floor(file.bytes.length * 0.6));
      res.writeHead(200, { 'content-type': file.mime, 'content-length': part.length }).end(part);
      return;
    }
    if (fault.action === 'redirectElsewhere') {
      res.writeHead(302, { location: `${this.options.cdn ?? this.origin}${url.pathname}${url.search}` }).end();
      return;
    }
    if (fault.action === 'redirectLoop') {
      res.writeHead(302, { location: url.pathname + url.search }).end();
      return;
    }
    if (fault.action === 'huge') {
      // A PNG signature, then far more bytes than any upscale of an accepted image can have.
      const size = 400 * 1024 * 1024;
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': size });
      const chunk = Buffer.alloc(1 << 20);
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(chunk);
      let sent = 0;
      const pump = () => {
        while (sent < size) {
          sent += chunk.length;
          if (!res.write(sent === chunk.length ? chunk : Buffer.alloc(chunk.length))) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (sent = size));
      pump();
    }
  }

  private serveFile(name: string, res: ServerResponse): void {
    const large = this.largeFiles.get(name);
    if (large !== undefined) return this.serveLarge(large, res);
    const file = this.files.get(name);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    this.stats.downloads++;
    res.writeHead(200, { 'content-type': file.mime, 'content-length': file.bytes.length }).end(file.bytes);
  }

  /** A PNG header (signature and IHDR of a 16384x16384 image), then zeros up to `size` bytes, sent in 1 MB chunks as the client takes them. */
  private serveLarge(size: number, res: ServerResponse): void {
    this.stats.downloads++;
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': size });
    const chunk = Buffer.alloc(1 << 20);
    const header = Buffer.from('89504e470d0a1a0a0000000d4948445200004000000040000806000000a9c81084', 'hex');
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const length = Math.min(chunk.length, size - sent);
        let part = chunk.subarray(0, length);
        if (sent === 0) {
          part = Buffer.alloc(length);
          header.copy(part, 0, 0, Math.min(header.length, length));
        }
        sent += length;
        if (!res.write(part)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => (sent = size));
    pump();
  }

  /** `echoOnly`: every result is the same small PNG, stored once. */
  private storedResults(count: number): { url: string; resolution: string }[] {
    const name = 'echo.png';
    if (!this.files.has(name)) this.files.set(name, { bytes: echoPng, mime: 'image/png' });
    return Array.from({ length: count }, () => ({ url: `${this.origin}/files/${name}?exp=${Date.now() + 86_400_000}&sig=emulated`, resolution: '2x2' }));
  }

  /** `largeResultBytes`: results made only when downloaded. */
  private largeResults(size: number, count: number): { url: string; resolution: string }[] {
    return Array.from({ length: count }, () => {
      const name = `${randomUUID()}.png`;
      this.largeFiles.set(name, size);
      return { url: `${this.origin}/files/${name}?exp=${Date.now() + 86_400_000}&sig=emulated`, resolution: '16384x16384' };
    });
  }

  /**
   * The same upload under the same options makes the same pictures, as fresh files: a batch of
   * copies then costs the emulator one decode and encode, not one each, so that its own work does
   * not slow what a benchmark measures.
   */
  private async upscaleOnce(source: Uint8Array, count: number, smaller = false): Promise<{ url: string; resolution: string }[]> {
    const key = createHash('sha256').update(source).update(JSON.stringify({ count, smaller, options: this.options })).digest('hex');
    let making = this.made.get(key);
    if (!making) {
      // Kept while it is made, so that uploads of the same picture at the same moment wait for it.
      making = this.upscale(source, count, smaller).then((fresh) => fresh.map((r) => ({ ...this.files.get(new URL(r.url).pathname.slice('/files/'.length))!, resolution: r.resolution })));
      this.made.set(key, making);
      making.catch(() => this.made.delete(key));
    }
    const made = await making;
    return made.map((m) => {
      const name = `${randomUUID()}.${formatInfo[sniffFormat(m.bytes) as UpscalableFormat].ext}`;
      this.files.set(name, { bytes: m.bytes, mime: m.mime });
      return { url: this.fileUrl(name), resolution: m.resolution };
    });
  }

  private fileUrl(name: string): string {
    return `${this.origin}/files/${name}?exp=${Date.now() + 86_400_000}&sig=emulated`;
  }

  /**
   * Loads every codec the emulator makes pictures with. Loaded on first use instead, they took the
   * first uploads of a benchmark past the task's time on a busy machine, and the service's own
   * work does not run on its users' machine.
   */
  async warm(): Promise<void> {
    const codecs = await loadCodecs();
    const pixels: Pixels = { width: 2, height: 2, data: new Uint8ClampedArray(16).fill(200) };
    for (const format of ['png', 'jpeg', 'webp'] as const) await codecs.decode(await codecs.encode(doubleSize(pixels), format));
  }

  /** Decodes the upload, doubles its width and height, and encodes it in its own format (or `resultFormat`). */
  private async upscale(source: Uint8Array, count: number, smaller = false): Promise<{ url: string; resolution: string }[]> {
    const codecs = await loadCodecs();
    const decoded = await codecs.decode(source);
    let big = smaller ? halfSize(decoded) : doubleSize(decoded);
    // What real upscalers are seen to do: drop transparency, crop or pad to a supported aspect ratio.
    if (this.options.flatten) big = flattenOnBlack(big);
    if (this.options.crop === 'square') big = cropSquare(big);
    if (this.options.pad === 'square') big = padSquare(big);
    const format = this.options.resultFormat ?? decoded.format;
    const { mime, ext } = formatInfo[format];
    const out = [];
    for (let i = 0; i < count; i++) {
      // Each further result a little redder, so that which one was used can be told apart.
      const encoded = await codecs.encode(i === 0 ? big : redder(big, 40 * i), format);
      const name = `${randomUUID()}.${ext}`;
      this.files.set(name, { bytes: encoded, mime });
      out.push({ url: `${this.origin}/files/${name}?exp=${Date.now() + 86_400_000}&sig=emulated`, resolution: `${big.width}x${big.height}` });
    }
    return out;
  }
}

/** The centred square of the image. */
function cropSquare(p: Pixels): Pixels {
  const side = Math.min(p.width, p.height);
  const left = Math.floor((p.width - side) / 2);
  const top = Math.floor((p.height - side) / 2);
  const data = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) {
    data.set(p.data.subarray(((top + y) * p.width + left) * 4, ((top + y) * p.width + left + side) * 4), y * side * 4);
  }
  return { width: side, height: side, data };
}

/** The image in the middle of a white square. */
function padSquare(p: Pixels): Pixels {
  const side = Math.max(p.width, p.height);
  return windowOf(p, -Math.floor((side - p.width) / 2), -Math.floor((side - p.height) / 2), side, side, [255, 255, 255, 255]);
}

function redder(p: Pixels, amount: number): Pixels {
  const data = new Uint8ClampedArray(p.data);
  for (let i = 0; i < data.length; i += 4) data[i] = Math.min(255, data[i] + amount);
  return { width: p.width, height: p.height, data };
}

/** Bilinear 2x enlargement: a real, if plain, upscale. */
export function doubleSize(src: Pixels): Pixels {
  return resize(src, src.width * 2, src.height * 2);
}

function validate(r: Record<string, unknown>): string | undefined {
  const ranges: [string, number, number][] = [
    ['resemblance', 1, 100],
    ['detail', 1, 100],
    ['num_images', 1, 8],
    ['seed', 0, 2147483647],
  ];
  for (const [key, min, max] of ranges) {
    const v = r[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)) {
      return `${key} must be an integer between ${min} and ${max}`;
    }
  }
  const magic = r.magic_prompt_option;
  if (magic !== undefined && !['AUTO', 'ON', 'OFF'].includes(magic as string)) {
    return 'magic_prompt_option must be one of AUTO, ON, OFF';
  }
  if (r.prompt !== undefined && typeof r.prompt !== 'string') {
    return 'prompt must be a string';
  }
  return undefined;
}

/** A 2x2 opaque grey PNG: the one result of `echoOnly`. */
const echoPng = new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAAAAABX3VL4AAAADklEQVR4nGNoaGBoaAAABgYCASzBUNcAAAAASUVORK5CYII=', 'base64'));

/** The counts of an emulator that has served nothing yet. */
function freshStats(): EmulatorStats {
  return { submits: 0, taskQueries: 0, downloads: 0, lastHeaders: {}, lastImageRequest: undefined, faultsServed: 0, maxInFlight: 0, inflightRefusals: 0, acceptedByName: {}, requestsByName: {}, arrivals: { submits: [], ended: [], early: 0 }, connections: 0 };
}

function requestId(): string {
  return `req-${randomUUID().slice(0, 8)}`;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

/** The task query's path as a pattern whose first group is the task id. */
function taskRoute(template: string): RegExp {
  const [before, after = ''] = template.split('{task_id}').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${before}([^/]+)${after}$`);
}
