import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { loadCodecs, Pixels } from '../../src/core/images/codecs';
import { formatInfo, isUpscalable, sniffFormat } from '../../src/core/images/format';
import type { Fault } from './faults';

/**
 * Ideogram's v2 upscalers as its reference pages describe them: `POST /v2/image/upscale/{model}`
 * (multipart, the file in `image`; `upscale_factor` x2/x4/x8 where the model takes it, 8,192 px a
 * side at most where the model is capped; `?dry_run=true` answers a PriceQuote by output
 * megapixels), synchronous unless `async`, and `GET /v2/generations/{generation_id}`.
 * What a request sends that the pages do not describe is a contract violation, counted.
 */
interface ModelRule {
  factors: string[];
  capped: boolean;
  fields: string[];
}

const common = ['image', 'async', 'webhook_url'];
const factorModel = (capped: boolean, factors = ['x2', 'x4', 'x8'], extra: string[] = []): ModelRule => ({ factors, capped, fields: [...common, 'upscale_factor', ...extra] });
const rules: Record<string, ModelRule> = {
  auto: factorModel(true),
  'topaz-standard-2': factorModel(true),
  'topaz-text-refine': factorModel(true),
  'topaz-wonder-3-5': factorModel(true, undefined, ['enhancement_strength']),
  'topaz-wonder-4': factorModel(false, ['x2', 'x4']),
  'topaz-bloom-2': factorModel(true, undefined, ['prompt']),
  'topaz-redefine': factorModel(true, undefined, ['prompt']),
  'nano-banana-pro': { factors: [], capped: false, fields: [...common, 'resolution_tier'] },
};
const tierSides: Record<string, number> = { '1K': 1024, '2K': 2048, '4K': 4096 };

export interface V2Stats {
  /** v2 uploads received (dry runs included), refused ones too. */
  submits: number;
  dryRuns: number;
  generationQueries: number;
  /** What a request did that the docs do not describe; a correct client leaves this empty. */
  contractViolations: string[];
  /** The fields of the last v2 upload (the file by its name), and its model. */
  lastFields: Record<string, string>;
  lastModel?: string;
}

interface Generation {
  id: string;
  created: string;
  createdAt: number;
  durationMs: number;
  neverEnds?: boolean;
  failureReason?: string;
  usdMicros: number;
  data?: Record<string, unknown>[];
}

/** What the v2 part needs of the emulator around it. */
export interface V2Host {
  options: { taskMs: number; taskOutcome: 'succeed' | 'failed'; inflightLimit?: number; rateLimitQueries?: number; queryRetryAfterSeconds?: number; v2MicrosPerMegapixel?: number; v2Sync?: boolean };
  takeFault(phase: Fault['phase']): Fault | undefined;
  /** Images in flight elsewhere in the emulator. */
  inFlight(): number;
  noteInFlight(count: number): void;
  inflightRefused(): void;
  accepted(name: string): void;
  store(bytes: Uint8Array, mime: string, ext: string): string;
}

export class V2Service {
  readonly stats: V2Stats = fresh();
  private readonly generations = new Map<string, Generation>();
  private answering = 0;

  constructor(private readonly host: V2Host) {}

  /** A fresh service: what an earlier case left running (a generation that never ends) no longer counts in flight. */
  reset(): void {
    Object.assign(this.stats, fresh());
    this.generations.clear();
  }

  /** Generations whose images are still being made: they count against the in-flight limit. */
  running(): number {
    const now = Date.now();
    let n = this.answering;
    for (const g of this.generations.values()) if (g.neverEnds || now - g.createdAt < g.durationMs) n++;
    return n;
  }

  matches(method: string | undefined, path: string): 'submit' | 'query' | undefined {
    if (method === 'POST' && path.startsWith('/v2/image/upscale/')) return 'submit';
    if (method === 'GET' && path.startsWith('/v2/generations/')) return 'query';
    return undefined;
  }

  async submit(req: IncomingMessage, url: URL, res: ServerResponse, failFile?: boolean): Promise<void> {
    this.stats.submits++;
    const model = decodeURIComponent(url.pathname.slice('/v2/image/upscale/'.length));
    this.stats.lastModel = model;
    const rule = rules[model];
    if (!rule) return json(res, 404, { error: `no upscale endpoint for model ${model}` });
    const dryRunParam = url.searchParams.get('dry_run');
    if (dryRunParam !== null && dryRunParam !== 'true' && dryRunParam !== 'false') this.violation(`dry_run must be true or false, not ${dryRunParam}`);
    for (const key of url.searchParams.keys()) if (key !== 'dry_run') this.violation(`unknown query parameter ${key}`);
    const dryRun = dryRunParam === 'true';
    if (dryRun) this.stats.dryRuns++;
    let form: FormData;
    try {
      form = await new Request('http://emulator/', { method: 'POST', headers: req.headers as Record<string, string>, body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } as RequestInit).formData();
    } catch (err) {
      this.violation('the body is not multipart/form-data');
      return json(res, 400, { error: `the body is not multipart/form-data: ${(err as Error).message}` });
    }
    const fields: Record<string, string> = {};
    for (const [name, value] of form.entries()) {
      fields[name] = typeof value === 'string' ? value : `<file ${(value as File).name}>`;
      if (!rule.fields.includes(name)) this.violation(`${model} takes no field ${name}`);
    }
    this.stats.lastFields = fields;
    const file = form.get('image');
    if (!(file instanceof Blob)) {
      this.violation('no image field');
      return json(res, 400, { error: 'image is required' });
    }
    const isAsync = fields.async === 'true' || fields.webhook_url !== undefined;
    if (fields.async !== undefined && fields.async !== 'true' && fields.async !== 'false') this.violation(`async must be true or false, not ${fields.async}`);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const format = sniffFormat(bytes);
    if (!isUpscalable(format)) return json(res, 400, { error: 'image must be a JPEG, PNG or WebP image' });
    const codecs = await loadCodecs();
    const source = await codecs.decode(bytes);
    const target = this.outputSize(rule, fields, source);
    if (typeof target === 'string') return json(res, 400, { error: target });
    const megapixels = Math.max(1, Math.ceil((target.width * target.height) / 1e6));
    const usdMicros = megapixels * (this.host.options.v2MicrosPerMegapixel ?? 10_000);
    if (dryRun) {
      return json(res, 200, { object: 'price_quote', billing_identifier: `${model.replace(/-/g, '_')}_upscale`, quantity: megapixels, usd_micros: usdMicros, credit_millis: usdMicros / 10, qualifier: 'exact' });
    }
    const inFlight = this.host.inFlight();
    if (this.host.options.inflightLimit !== undefined && inFlight + 1 > this.host.options.inflightLimit) {
      this.host.inflightRefused();
      return json(res, 429, { error: 'Too many images in flight', reject_reason: 'inflight_limit', max_inflight_requests: this.host.options.inflightLimit });
    }
    this.host.noteInFlight(inFlight + 1);
    this.host.accepted(file instanceof File ? file.name : '');
    const taskFault = this.host.takeFault('task')?.action;
    const resultFault = this.host.takeFault('result')?.action;
    const generation: Generation = { id: randomUUID().replace(/-/g, '').slice(0, 22), created: new Date().toISOString(), createdAt: Date.now(), durationMs: this.host.options.taskMs, usdMicros };
    if (this.host.options.taskOutcome === 'failed' || taskFault === 'fail' || failFile) generation.failureReason = 'image could not be processed';
    generation.neverEnds = taskFault === 'never';
    const making = this.make(source, target, format!, resultFault === 'unsafe' || resultFault === 'oneUnsafe', resultFault === 'smaller').then((item) => (generation.data = [item]));
    if (isAsync) {
      making.catch((err: Error) => (generation.failureReason = err.message));
      this.generations.set(generation.id, generation);
      return json(res, 200, { generation_id: generation.id, generation_kind: 'sampling' });
    }
    this.answering++;
    try {
      await making;
    } finally {
      this.answering--;
    }
    if (generation.failureReason) return json(res, 500, { error: generation.failureReason });
    json(res, 200, { generation_id: generation.id, generation_kind: 'sampling', data: generation.data });
  }

  query(path: string, res: ServerResponse): void {
    this.stats.generationQueries++;
    const fault = this.host.takeFault('query');
    if (fault && fault.status !== undefined) return json(res, fault.status, fault.body);
    const limited = this.host.options.rateLimitQueries ?? 0;
    if (limited > 0) {
      this.host.options.rateLimitQueries = limited - 1;
      const text = JSON.stringify({ error: 'Too many requests' });
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(this.host.options.queryRetryAfterSeconds ?? 2) }).end(text);
      return;
    }
    const id = decodeURIComponent(path.slice('/v2/generations/'.length));
    const g = this.generations.get(id);
    if (!g) {
      this.violation(`polled generation ${id}, never issued`);
      return json(res, 404, { error: `generation ${id} not found` });
    }
    const ended = !g.neverEnds && Date.now() - g.createdAt >= g.durationMs && (g.data !== undefined || g.failureReason !== undefined);
    if (!ended) return json(res, 200, { generation_id: g.id, status: 'pending', created: g.created });
    if (g.failureReason) return json(res, 200, { generation_id: g.id, status: 'failed', created: g.created, failure_reason: g.failureReason });
    json(res, 200, { generation_id: g.id, status: 'completed', created: g.created, response_type: 'url', data: g.data, usage_cost_usd_micros: g.usdMicros });
  }

  private outputSize(rule: ModelRule, fields: Record<string, string>, source: Pixels): { width: number; height: number } | string {
    if (!rule.factors.length) {
      const tier = fields.resolution_tier ?? '1K';
      const side = tierSides[tier];
      if (!side) return `resolution_tier must be one of 1K, 2K, 4K, not ${tier}`;
      const scale = side / Math.max(source.width, source.height);
      return { width: Math.round(source.width * scale), height: Math.round(source.height * scale) };
    }
    const factor = fields.upscale_factor ?? 'x2';
    if (!rule.factors.includes(factor)) return `upscale_factor must be one of ${rule.factors.join(', ')}, not ${factor}`;
    const strength = fields.enhancement_strength;
    if (strength !== undefined && !['low', 'medium', 'high'].includes(strength)) return `enhancement_strength must be one of low, medium, high, not ${strength}`;
    const n = Number(factor.slice(1));
    const out = { width: source.width * n, height: source.height * n };
    if (rule.capped && Math.max(out.width, out.height) > 8192) return `The output would be ${out.width}x${out.height}, larger than 8192 pixels on a side; use a smaller upscale_factor.`;
    return out;
  }

  /** A real picture at the output size, in the source's format. */
  private async make(source: Pixels, size: { width: number; height: number }, format: NonNullable<ReturnType<typeof sniffFormat>>, unsafe: boolean, smaller: boolean): Promise<Record<string, unknown>> {
    const target = smaller ? { width: Math.max(1, Math.floor(source.width / 2)), height: Math.max(1, Math.floor(source.height / 2)) } : size;
    const codecs = await loadCodecs();
    const upscalable = format === 'png' || format === 'jpeg' || format === 'webp' ? format : 'png';
    const encoded = await codecs.encode(resize(source, target.width, target.height), upscalable);
    const url = unsafe ? '' : this.host.store(encoded, formatInfo[upscalable].mime, formatInfo[upscalable].ext);
    return { object_type: 'image', url, width: target.width, height: target.height, resolution: `${target.width}x${target.height}`, is_image_safe: !unsafe, seed: Math.floor(Math.random() * 2147483647) };
  }

  private violation(what: string): void {
    this.stats.contractViolations.push(what);
  }
}

function fresh(): V2Stats {
  return { submits: 0, dryRuns: 0, generationQueries: 0, contractViolations: [], lastFields: {} };
}

/** Bilinear resampling to any size: a plain but real upscale. */
export function resize(src: Pixels, width: number, height: number): Pixels {
  const data = new Uint8ClampedArray(width * height * 4);
  const kx = src.width / width;
  const ky = src.height / height;
  for (let y = 0; y < height; y++) {
    const sy = Math.max(0, (y + 0.5) * ky - 0.5);
    const y0 = Math.min(Math.floor(sy), src.height - 1);
    const y1 = Math.min(y0 + 1, src.height - 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.max(0, (x + 0.5) * kx - 0.5);
      const x0 = Math.min(Math.floor(sx), src.width - 1);
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

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}
