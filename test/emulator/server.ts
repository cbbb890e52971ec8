import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { loadCodecs, Pixels } from '../../src/core/images/codecs';
import { answerWithStatus, Fault, FaultName, faults, resetMidUpload } from './faults';
import { formatInfo, sniffFormat, isUpscalable, UpscalableFormat } from '../../src/core/images/format';

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
  refuseFiles?: Record<string, { status: number; body: unknown }>;
  /** Answer in this format whatever the upload's (real services may return PNG for a JPEG). */
  resultFormat?: UpscalableFormat;
  /** A failure to produce (see faults.ts), for the first `faultTimes` requests it applies to. */
  fault?: FaultName;
  faultTimes?: number;
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
}

interface Task {
  id: string;
  createdAt: number;
  neverEnds?: boolean;
  images: { url: string; seed: number; resolution: string }[];
  failMessage?: string;
}

const defaults: EmulatorOptions = { shape: 'sync', taskMs: 0, taskOutcome: 'succeed' };

export class Emulator {
  options: EmulatorOptions;
  readonly stats: EmulatorStats = { submits: 0, taskQueries: 0, downloads: 0, lastHeaders: {}, lastImageRequest: undefined, faultsServed: 0 };
  private readonly files = new Map<string, { bytes: Uint8Array; mime: string }>();
  private readonly tasks = new Map<string, Task>();
  private server: Server | undefined;
  private origin = '';

  constructor(options: Partial<EmulatorOptions> = {}) {
    this.options = { ...defaults, ...options };
  }

  get url(): string {
    return this.origin;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        if (!res.headersSent) {
          json(res, 500, { error: `emulator: ${(err as Error).message}` });
        } else {
          res.destroy();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    this.server = server;
    this.origin = `http://${host}:${(server.address() as AddressInfo).port}`;
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

  /** Back to the options given and zeroed counters. */
  reset(options: Partial<EmulatorOptions> = {}): void {
    this.options = { ...defaults, ...options };
    Object.assign(this.stats, { submits: 0, taskQueries: 0, downloads: 0, lastHeaders: {}, lastImageRequest: undefined, faultsServed: 0 });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const path = url.pathname;
    if (req.method === 'GET' && path.startsWith('/files/')) {
      const fault = this.takeFault('download');
      if (fault) return this.downloadFault(fault, url, res);
      return this.serveFile(path.slice('/files/'.length), res);
    }
    if (req.method === 'POST' && (path === '/ideogram/upscale' || path === '/upscale')) {
      // Every upload counts, accepted or not: each one may cost the user money.
      this.stats.submits++;
      this.stats.lastHeaders = req.headers;
      if (!this.authorised(req, path === '/upscale' ? 'api-key' : 'bearer')) {
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
      return this.submit(req, res);
    }
    const task = /^\/ideogram\/upscale\/([^/]+)$/.exec(path);
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
    const refusal = file instanceof File ? this.options.refuseFiles?.[file.name] : undefined;
    if (refusal) {
      return json(res, refusal.status, refusal.body);
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
    const problem = validate(request);
    if (problem) {
      return json(res, 400, { error: problem });
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (bytes.length > 25 * 1024 * 1024) {
      return json(res, 413, { error: 'image_file is larger than 25 MB' });
    }
    if (!isUpscalable(sniffFormat(bytes))) {
      return json(res, 400, { error: 'image_file must be a JPEG, PNG or WebP image' });
    }
    const count = typeof request.num_images === 'number' ? request.num_images : 1;
    const seed = typeof request.seed === 'number' ? request.seed : Math.floor(Math.random() * 2147483647);
    const made = await this.upscale(bytes, count);
    const unsafe = this.takeFault('result')?.action === 'unsafe';
    const images = made.map((m, i) => ({ url: unsafe ? '' : m.url, seed: seed + i, resolution: m.resolution }));
    const id = requestId();
    if (this.options.shape === 'task') {
      const task: Task = { id: randomUUID(), createdAt: Date.now(), images };
      const fault = this.takeFault('task');
      if (this.options.taskOutcome === 'failed' || fault?.action === 'fail') {
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
    const list = {
      created: new Date().toISOString(),
      data: images.map((i) => ({
        url: i.url,
        prompt: typeof request.prompt === 'string' ? request.prompt : '',
        resolution: i.resolution,
        upscaled_resolution: i.resolution,
        is_image_safe: i.url !== '',
        seed: i.seed,
      })),
    };
    res.setHeader('x-request-id', id);
    return json(res, 200, this.options.shape === 'wrapped' ? { code: 0, message: 'success', request_id: id, data: list } : list);
  }

  private query(id: string, res: ServerResponse): void {
    this.stats.taskQueries++;
    const task = this.tasks.get(id);
    if (!task) {
      return json(res, 404, { code: 1201, message: `task ${id} not found` });
    }
    const done = !task.neverEnds && Date.now() - task.createdAt >= this.options.taskMs;
    const status = !done ? 'processing' : task.failMessage ? 'failed' : 'succeed';
    json(res, 200, {
      code: 0,
      message: 'SUCCEED',
      request_id: requestId(),
      data: {
        task_id: task.id,
        task_status: status,
        task_status_msg: status === 'failed' ? task.failMessage : '',
        created_at: task.createdAt,
        updated_at: Date.now(),
        task_result: status === 'succeed' ? { images: task.images.filter((img) => img.url !== '').map((img, index) => ({ index, url: img.url })) } : undefined,
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
    const file = this.files.get(name);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    this.stats.downloads++;
    res.writeHead(200, { 'content-type': file.mime, 'content-length': file.bytes.length }).end(file.bytes);
  }

  /** Decodes the upload, doubles its width and height, and encodes it in its own format (or `resultFormat`). */
  private async upscale(source: Uint8Array, count: number): Promise<{ url: string; resolution: string }[]> {
    const codecs = await loadCodecs();
    const decoded = await codecs.decode(source);
    const big = doubleSize(decoded);
    const format = this.options.resultFormat ?? decoded.format;
    const encoded = await codecs.encode(big, format);
    const { mime, ext } = formatInfo[format];
    const out = [];
    for (let i = 0; i < count; i++) {
      const name = `${randomUUID()}.${ext}`;
      this.files.set(name, { bytes: encoded, mime });
      out.push({ url: `${this.origin}/files/${name}?exp=${Date.now() + 86_400_000}&sig=emulated`, resolution: `${big.width}x${big.height}` });
    }
    return out;
  }
}

/** Bilinear 2x enlargement: a real, if plain, upscale. */
export function doubleSize(src: Pixels): Pixels {
  const width = src.width * 2;
  const height = src.height * 2;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy = Math.max(0, (y + 0.5) / 2 - 0.5);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, src.height - 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.max(0, (x + 0.5) / 2 - 0.5);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, src.width - 1);
      const fx = sx - x0;
      for (let c = 0; c < 4; c++) {
        const a = src.data[(y0 * src.width + x0) * 4 + c];
        const b = src.data[(y0 * src.width + x1) * 4 + c];
        const d = src.data[(y1 * src.width + x0) * 4 + c];
        const e = src.data[(y1 * src.width + x1) * 4 + c];
        data[(y * width + x) * 4 + c] = (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy;
      }
    }
  }
  return { width, height, data };
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

function requestId(): string {
  return `req-${randomUUID().slice(0, 8)}`;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}
