import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sniffFormat, isUpscalable, UpscalableFormat } from '../images/format';
import { UpscaleError } from './errors';
import { causeCode, failureForMessage, failureForStatus, parseRetryAfter, plainText, readCapped, redactQuery, transportError } from './httpErrors';
import { imageRequestJson, UpscaleParams } from './params';
import { isLoopback, ServiceProfile } from './services';
import { t } from '../i18n';
import { Answer, errorMessageOf, parseAnswer, requestIdOf, ResultImage } from './responses';
import { multipart, Multipart, SourceFile } from './uploadBody';

export interface ClientOptions {
  fetch: typeof fetch;
  requestTimeoutMs: number;
  taskTimeoutMs: number;
  /** Task polling: first wait, growth factor and longest wait between queries. */
  poll?: { firstMs: number; factor: number; maxMs: number };
  /** Automatic resubmission, only where the upload cannot have been charged (429, 503 with Retry-After, refused connection). */
  retry?: { attempts: number; maxDelayMs: number };
  log?: (line: string) => void;
}

export type Phase = 'uploading' | 'waiting' | 'downloading';

export interface CallOptions {
  signal?: AbortSignal;
  onPhase?: (phase: Phase) => void;
}

export interface UpscaleOutcome {
  images: ResultImage[];
  requestId?: string;
  taskId?: string;
}

export interface Downloaded {
  path: string;
  format: UpscalableFormat;
  bytes: number;
}

const defaultPoll = { firstMs: 1000, factor: 1.5, maxMs: 8000 };
const defaultRetry = { attempts: 3, maxDelayMs: 30_000 };
const maxJsonBytes = 1 << 20;
const maxRedirects = 5;
/** A 2x upscale of the largest accepted input stays far below this. */
export const maxResultBytes = 200 * 1024 * 1024;

interface Reply {
  status: number;
  ok: boolean;
  headers: Headers;
  text: string;
}

/**
 * The request timeout joined with the user's cancel. Built on a timer the deadline itself holds,
 * not on AbortSignal.timeout + AbortSignal.any, whose signals Node may collect while a request
 * still waits on them (then the request never times out).
 */
class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onUserAbort = () => this.controller.abort(this.user?.reason);

  constructor(
    ms: number,
    private readonly user?: AbortSignal,
  ) {
    this.timer = setTimeout(() => this.controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')), ms);
    if (user?.aborted) this.onUserAbort();
    user?.addEventListener('abort', this.onUserAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  end(): void {
    clearTimeout(this.timer);
    this.user?.removeEventListener('abort', this.onUserAbort);
  }
}

export class UpscaleClient {
  private readonly poll: { firstMs: number; factor: number; maxMs: number };
  private readonly retry: { attempts: number; maxDelayMs: number };

  constructor(private readonly options: ClientOptions) {
    this.poll = options.poll ?? defaultPoll;
    this.retry = options.retry ?? defaultRetry;
  }

  /** Submits one image and returns the result list once the service has produced it. */
  async upscale(profile: ServiceProfile, source: SourceFile, params: UpscaleParams, call: CallOptions = {}): Promise<UpscaleOutcome> {
    const url = joinUrl(profile.baseUrl, profile.submitPath);
    for (let attempt = 1; ; attempt++) {
      call.onPhase?.('uploading');
      const form = multipart(source, imageRequestJson(params));
      let reply: Reply;
      try {
        reply = await this.exchange('POST', url, profile, call.signal, form);
      } catch (err) {
        const failure = err as UpscaleError;
        if (failure.kind === 'network' && !failure.details.mayHaveBeenCharged && attempt < this.retry.attempts) {
          await this.wait(backoff(attempt), call.signal);
          continue;
        }
        throw failure;
      }
      const retryAfterMs = parseRetryAfter(reply.headers.get('retry-after'));
      const retryable = reply.status === 429 || (reply.status === 503 && retryAfterMs !== undefined);
      if (retryable && attempt < this.retry.attempts) {
        await this.wait(Math.min(retryAfterMs ?? backoff(attempt), this.retry.maxDelayMs), call.signal);
        continue;
      }
      const answer = this.readAnswer(reply, url, true);
      call.onPhase?.('waiting');
      if (answer.kind === 'task') {
        return this.awaitTask(profile, answer, call.signal);
      }
      return withImages(answer);
    }
  }

  /** Streams one result to `path`, refusing anything that is not a PNG, JPEG or WebP. */
  async download(url: string, path: string, signal?: AbortSignal): Promise<Downloaded> {
    const deadline = new Deadline(this.options.requestTimeoutMs, signal);
    try {
      return await this.downloadWithin(url, path, signal, deadline.signal);
    } finally {
      deadline.end();
    }
  }

  private async downloadWithin(url: string, path: string, user: AbortSignal | undefined, signal: AbortSignal): Promise<Downloaded> {
    const response = await this.followRedirects(url, user, signal);
    const length = Number(response.headers.get('content-length') ?? NaN);
    if (length > maxResultBytes) {
      await response.body?.cancel();
      throw new UpscaleError('download', t('The result is {0} MB, more than any upscale can be; it was not saved.', Math.round(length / 1024 / 1024)));
    }
    let head: Uint8Array | undefined;
    let bytes = 0;
    const guard = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (!head) {
          head = chunk.subarray(0, 16);
          if (!isUpscalable(sniffFormat(head))) {
            done(new UpscaleError('download', t('The service returned a result that is not a PNG, JPEG or WebP image.')));
            return;
          }
        }
        if (bytes > maxResultBytes) {
          done(new UpscaleError('download', t('The result is larger than {0} MB; it was not saved.', maxResultBytes / 1024 / 1024)));
          return;
        }
        done(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), guard, createWriteStream(path));
    } catch (err) {
      await rm(path, { force: true });
      if (err instanceof UpscaleError) throw err;
      throw transportError(err, user, 'GET', false, this.options.requestTimeoutMs);
    }
    const format = head ? sniffFormat(head) : undefined;
    if (!isUpscalable(format)) {
      await rm(path, { force: true });
      throw new UpscaleError('download', t('The service returned an empty result.'));
    }
    return { path, format, bytes };
  }

  /**
   * Result links are fetched without the key, over https only (plain http only to this machine),
   * following at most a few redirects, each checked the same way.
   */
  private async followRedirects(url: string, user: AbortSignal | undefined, signal: AbortSignal): Promise<Response> {
    let target = url;
    for (let hop = 0; hop <= maxRedirects; hop++) {
      let parsed: URL;
      try {
        parsed = new URL(target);
      } catch {
        throw new UpscaleError('download', t('The service returned a result link that is not a URL: "{0}".', target.slice(0, 80)));
      }
      if (!(parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopback(parsed.hostname)))) {
        throw new UpscaleError('download', t('The result link {0}//{1} is not https; it was not downloaded.', parsed.protocol, parsed.host));
      }
      const response = await this.request(parsed.href, { method: 'GET', redirect: 'manual', signal }, user, 'GET', redactQuery(parsed));
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        target = new URL(location, parsed).href;
        continue;
      }
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        const gone = response.status === 403 || response.status === 404 || response.status === 410;
        throw new UpscaleError('download', gone ? t('The result link no longer works (HTTP {0}); such links expire, so run the upscale again.', response.status) : t('Downloading the result failed with HTTP {0}.', response.status), { status: response.status, mayHaveBeenCharged: true });
      }
      return response;
    }
    throw new UpscaleError('download', t('The result link redirected more than {0} times; it was not downloaded.', maxRedirects), { mayHaveBeenCharged: true });
  }

  private async awaitTask(profile: ServiceProfile, first: Extract<Answer, { kind: 'task' }>, signal?: AbortSignal): Promise<UpscaleOutcome> {
    const deadline = Date.now() + this.options.taskTimeoutMs;
    const url = joinUrl(profile.baseUrl, profile.taskQueryPath.replace('{task_id}', encodeURIComponent(first.taskId)));
    let task = first;
    let delay = this.poll.firstMs;
    for (;;) {
      if (task.status === 'succeed') {
        return withImages({ kind: 'images', images: task.images, requestId: task.requestId ?? first.requestId }, first.taskId);
      }
      if (task.status === 'failed') {
        throw new UpscaleError('taskFailed', t('The service\'s task failed: {0}.', task.message ?? t('no reason given')), {
          requestId: task.requestId ?? first.requestId,
          serviceMessage: task.message,
          mayHaveBeenCharged: true,
        });
      }
      if (Date.now() + delay > deadline) {
        throw new UpscaleError('taskTimeout', t('The service\'s task {0} did not finish within {1} s.', first.taskId, Math.round(this.options.taskTimeoutMs / 1000)), {
          requestId: first.requestId,
          mayHaveBeenCharged: true,
        });
      }
      await this.wait(delay, signal);
      delay = Math.min(delay * this.poll.factor, this.poll.maxMs);
      const reply = await this.exchange('GET', url, profile, signal);
      const retryAfterMs = parseRetryAfter(reply.headers.get('retry-after'));
      if (reply.status === 429 || reply.status >= 500) {
        // Queries cost nothing: keep asking, but no faster than the service allows.
        delay = Math.max(delay, Math.min(retryAfterMs ?? delay, this.poll.maxMs * 4));
        continue;
      }
      const answer = this.readAnswer(reply, url, false);
      if (answer.kind === 'task') {
        task = answer;
      } else if (answer.kind === 'images') {
        return withImages(answer, first.taskId);
      } else {
        throw new UpscaleError('unexpected', t('The task query answered in an unknown shape. Check "ideogramUpscale.taskQueryPath".'), { status: reply.status });
      }
    }
  }

  /** One request to the API and its whole (JSON) answer, within the request timeout. */
  private async exchange(method: 'GET' | 'POST', url: string, profile: ServiceProfile, user: AbortSignal | undefined, form?: Multipart): Promise<Reply> {
    const deadline = new Deadline(this.options.requestTimeoutMs, user);
    const upload = form?.body();
    const body = upload?.stream;
    try {
      const init: RequestInit & { duplex?: 'half' } = {
        method,
        headers: { Accept: 'application/json', [profile.auth.header]: profile.auth.value, ...form?.headers },
        body,
        duplex: body ? 'half' : undefined,
        // With any other mode fetch tees the body to be able to send it again, and the unread half
        // keeps every piece of the file in memory until the request ends. An upload cannot follow
        // a redirect anyway (its body is a stream); transportError explains the refusal.
        redirect: body ? 'error' : 'follow',
        signal: deadline.signal,
      };
      const response = await this.request(url, init, user, method, new URL(url).pathname);
      try {
        return { status: response.status, ok: response.ok, headers: response.headers, text: await readCapped(response, maxJsonBytes) };
      } catch (err) {
        throw transportError(err, user, method, body !== undefined, this.options.requestTimeoutMs);
      }
    } finally {
      deadline.end();
      // A service that answers before reading the whole upload leaves the file open otherwise.
      await upload?.close();
    }
  }

  private async request(url: string, init: RequestInit, userSignal: AbortSignal | undefined, method: string, logPath: string): Promise<Response> {
    const started = Date.now();
    try {
      const response = await this.options.fetch(url, init);
      const requestId = response.headers.get('x-request-id') ?? response.headers.get('request-id') ?? undefined;
      this.options.log?.(`${method} ${logPath} ${response.status}${requestId ? ` request-id=${requestId}` : ''} ${Date.now() - started} ms`);
      return response;
    } catch (err) {
      this.options.log?.(`${method} ${logPath} failed after ${Date.now() - started} ms: ${causeCode(err) ?? (err as Error).name}`);
      throw transportError(err, userSignal, method, init.body !== undefined, this.options.requestTimeoutMs);
    }
  }

  private readAnswer(response: Reply, url: string, isSubmit: boolean): Extract<Answer, { kind: 'images' | 'task' }> {
    const requestIdHeader = response.headers.get('x-request-id') ?? undefined;
    const text = response.text;
    let body: unknown;
    let parsedOk = true;
    try {
      body = JSON.parse(text);
    } catch {
      parsedOk = false;
      body = text;
    }
    const requestId = requestIdOf(body) ?? requestIdHeader;
    if (!response.ok) {
      throw failureForStatus(response.status, errorMessageOf(parsedOk ? body : plainText(text)), requestId, parseRetryAfter(response.headers.get('retry-after')), isSubmit);
    }
    if (!parsedOk) {
      throw new UpscaleError('unexpected', t('The service answered HTTP {0} with a body that is not JSON: "{1}".', response.status, plainText(text)), { status: response.status, requestId, mayHaveBeenCharged: isSubmit });
    }
    const answer = parseAnswer(body);
    if (answer.kind === 'error') {
      throw failureForMessage(answer.message, answer.requestId ?? requestId, isSubmit);
    }
    if (answer.kind === 'unknown') {
      throw new UpscaleError('unexpected', t('The service answered {0} in an unknown shape: "{1}".', new URL(url).pathname, text.slice(0, 120)), { status: response.status, requestId, mayHaveBeenCharged: isSubmit });
    }
    return answer.requestId || !requestId ? answer : { ...answer, requestId };
  }

  private wait(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new UpscaleError('cancelled', t('Cancelled.')));
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new UpscaleError('cancelled', t('Cancelled.')));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function withImages(answer: Extract<Answer, { kind: 'images' }>, taskId?: string): UpscaleOutcome {
  if (answer.images.length === 0) {
    throw new UpscaleError('unexpected', t('The service answered without any image.'), { requestId: answer.requestId, mayHaveBeenCharged: true });
  }
  if (answer.images.every((i) => !i.isImageSafe)) {
    throw new UpscaleError('safety', t('The service withheld the result as unsafe.'), { requestId: answer.requestId, mayHaveBeenCharged: true });
  }
  return { images: answer.images, requestId: answer.requestId, taskId };
}

export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
}

function backoff(attempt: number): number {
  return Math.min(1000 * 2 ** (attempt - 1), 30_000);
}

