import { Downloaded, downloadResult } from './download';
import { UpscaleError } from './errors';
import { addressStep, failureForMessage, failureForStatus, inflightLimitFailure, parseRetryAfter, plainText, pointAt, pointedAt, readCapped, taskQueryStep, transportError } from './httpErrors';
import { PriceQuote, parseQuote } from './generations';
import { UpscaleParams } from './params';
import { answerParser, joinUrl, submission } from './requests';
import { Answer, errorMessageOf, requestIdOf, ResultImage } from './responses';
import { defaultPollTuning, PollTuning, pollDelays, TaskTimings } from './pollSchedule';
import { ServiceProfile } from './services';
import { Connection, Deadline, request } from './transport';
import { Multipart, SourceFile } from './uploadBody';
import { t } from '../i18n';

export interface ClientOptions extends Connection {
  taskTimeoutMs: number;
  /** Task polling: the cold schedule's gaps. */
  poll?: PollTuning;
  /** How long the service's recent tasks took: the first query is aimed at their end. */
  timings?: TaskTimings;
  /** Automatic resubmission, only where the upload cannot have been charged (429, 503 with Retry-After, refused connection). */
  retry?: { attempts: number; maxDelayMs: number };
}

type Phase = 'uploading' | 'waiting' | 'downloading';

interface CallOptions {
  signal?: AbortSignal;
  onPhase?: (phase: Phase) => void;
  /**
   * The service refused for too many images in flight (429 `inflight_limit`); it is sent again
   * once this settles (the caller's room in a narrower window) and the wait is over.
   */
  onInflightLimit?: () => void | Promise<void>;
  /** The service took the upload and answered with a task: from here on, polling it is what a resume does. */
  onTask?: (taskId: string, requestId: string | undefined) => void;
}

export interface UpscaleOutcome {
  images: ResultImage[];
  requestId?: string;
  taskId?: string;
  /** What the service says it billed (`usage_cost_usd_micros`), when it says. */
  billedUsdMicros?: number;
}

const defaultRetry = { attempts: 3, maxDelayMs: 30_000 };
const maxJsonBytes = 1 << 20;
/** An upload that cannot connect within this fails fast, and is sent again: nothing of it left. */
const defaultConnectMs = 15_000;

interface Reply {
  status: number;
  ok: boolean;
  headers: Headers;
  text: string;
}

export class UpscaleClient {
  private readonly poll: PollTuning;
  private readonly retry: { attempts: number; maxDelayMs: number };

  constructor(private readonly options: ClientOptions) {
    this.poll = options.poll ?? defaultPollTuning;
    this.retry = options.retry ?? defaultRetry;
  }

  /** Submits one image and returns the result list once the service has produced it. */
  async upscale(profile: ServiceProfile, source: SourceFile, params: UpscaleParams, call: CallOptions = {}): Promise<UpscaleOutcome> {
    for (let attempt = 1; ; attempt++) {
      call.onPhase?.('uploading');
      const { url, form } = submission(profile, source, params);
      let reply: Reply;
      try {
        reply = await this.exchange('POST', url, profile, call.signal, form);
      } catch (err) {
        const failure = err as UpscaleError;
        if (failure.kind === 'network' && !failure.details.mayHaveBeenCharged && attempt < this.retry.attempts) {
          await this.wait(backoff(attempt), call.signal);
          continue;
        }
        throw pointAt(failure, addressStep(profile));
      }
      const retryAfterMs = parseRetryAfter(reply.headers.get('retry-after'));
      if (reply.status === 429 && isInflightLimit(reply.text) && attempt < this.retry.attempts) await call.onInflightLimit?.();
      const retryable = reply.status === 429 || (reply.status === 503 && retryAfterMs !== undefined);
      if (retryable && attempt < this.retry.attempts) {
        await this.wait(Math.min(retryAfterMs ?? backoff(attempt), this.retry.maxDelayMs), call.signal);
        continue;
      }
      const answer = pointedAt(() => this.readAnswer(reply, url, true, answerParser(profile)), addressStep(profile));
      call.onPhase?.('waiting');
      if (answer.kind === 'task') {
        call.onTask?.(answer.taskId, answer.requestId);
        return this.awaitTask(profile, answer, call.signal);
      }
      return withImages(answer);
    }
  }

  /**
   * Polls a task the service already has (its upload was answered before the window closed):
   * nothing is sent again, so nothing is billed again.
   */
  resume(profile: ServiceProfile, taskId: string, requestId: string | undefined, call: CallOptions = {}): Promise<UpscaleOutcome> {
    call.onPhase?.('waiting');
    return this.awaitTask(profile, { kind: 'task', taskId, status: 'processing', images: [], requestId }, call.signal);
  }

  /**
   * What the request would cost, from the service's dry run (Ideogram's v2 upscalers): validated
   * and priced, never run or billed. Undefined when the answer is no quote.
   */
  async quote(profile: ServiceProfile, source: SourceFile, params: UpscaleParams, signal?: AbortSignal): Promise<PriceQuote | undefined> {
    const { url, form } = submission(profile, source, params, true);
    const reply = await this.exchange('POST', url, profile, signal, form);
    let body: unknown;
    try {
      body = JSON.parse(reply.text);
    } catch {
      body = plainText(reply.text);
    }
    if (!reply.ok) throw failureForStatus(reply.status, errorMessageOf(body), requestIdOf(body), undefined, false);
    return parseQuote(body);
  }

  /** Streams one result to `path`, refusing anything that is not a PNG, JPEG or WebP. */
  download(url: string, path: string, signal?: AbortSignal): Promise<Downloaded> {
    return downloadResult(this.options, url, path, signal);
  }

  private async awaitTask(profile: ServiceProfile, first: Extract<Answer, { kind: 'task' }>, signal?: AbortSignal): Promise<UpscaleOutcome> {
    const deadline = Date.now() + this.options.taskTimeoutMs;
    const url = joinUrl(profile.baseUrl, profile.taskQueryPath.replace('{task_id}', encodeURIComponent(first.taskId)));
    let task = first;
    const delays = pollDelays(this.poll, this.options.timings?.expected(profile.baseUrl));
    let delay = delays.next().value;
    let failedQueries = 0;
    let lastFailedStatus = 0;
    for (;;) {
      if (task.status === 'succeed') {
        if (task.tookMs !== undefined) this.options.timings?.record(profile.baseUrl, task.tookMs);
        return withImages({ kind: 'images', images: task.images, requestId: task.requestId ?? first.requestId, usdMicros: task.usdMicros }, first.taskId);
      }
      if (task.status === 'failed') {
        throw new UpscaleError('taskFailed', t('The service\'s task failed: {0}.', task.message ?? t('no reason given')), {
          requestId: task.requestId ?? first.requestId,
          serviceMessage: task.message,
          mayHaveBeenCharged: true,
        });
      }
      if (Date.now() + delay > deadline) {
        const seconds = Math.round(this.options.taskTimeoutMs / 1000);
        // A task store that kept failing is the likelier cause than a slow task: said so.
        const message = failedQueries > 0 ? t('The service\'s task {0} did not finish within {1} s; its last {2} status queries failed (HTTP {3}).', first.taskId, seconds, failedQueries, lastFailedStatus) : t('The service\'s task {0} did not finish within {1} s.', first.taskId, seconds);
        throw new UpscaleError('taskTimeout', message, {
          requestId: first.requestId,
          mayHaveBeenCharged: true,
        });
      }
      await this.wait(delay, signal);
      delay = delays.next().value;
      const reply = await this.exchange('GET', url, profile, signal);
      const retryAfterMs = parseRetryAfter(reply.headers.get('retry-after'));
      if (reply.status === 429 || reply.status >= 500) {
        // Queries cost nothing: keep asking, but no faster than the service allows.
        delay = Math.max(delay, Math.min(retryAfterMs ?? delay, this.poll.maxMs * 4));
        failedQueries++;
        lastFailedStatus = reply.status;
        continue;
      }
      failedQueries = 0;
      // The upload was taken, so a wrong answer here is the task query's path, not the address.
      const step = taskQueryStep(profile);
      if (reply.status === 404) {
        throw new UpscaleError('unexpected', t('The service has no task at {0} (HTTP 404).', new URL(url).pathname), { status: 404, requestId: first.requestId, mayHaveBeenCharged: true, nextStep: step });
      }
      const answer = pointedAt(() => this.readAnswer(reply, url, false, answerParser(profile)), step);
      if (answer.kind === 'task') {
        task = answer;
      } else if (answer.kind === 'images') {
        return withImages(answer, first.taskId);
      } else {
        throw new UpscaleError('unexpected', t('The task query answered in an unknown shape.'), { status: reply.status, nextStep: step });
      }
    }
  }

  /** One request to the API and its whole (JSON) answer, within the request timeout. */
  private async exchange(method: 'GET' | 'POST', url: string, profile: ServiceProfile, user: AbortSignal | undefined, form?: Multipart): Promise<Reply> {
    const deadline = new Deadline(this.options.requestTimeoutMs, user, form ? (this.options.connectTimeoutMs ?? defaultConnectMs) : undefined);
    const upload = form?.body(() => deadline.connected());
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
      const response = await request(this.options, url, init, user, method, new URL(url).pathname);
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

  private readAnswer(response: Reply, url: string, isSubmit: boolean, parse: (body: unknown) => Answer): Extract<Answer, { kind: 'images' | 'task' }> {
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
    if (response.status === 429 && isSubmit && isInflightLimit(text)) throw inflightLimitFailure(requestId);
    if (!response.ok) {
      throw failureForStatus(response.status, errorMessageOf(parsedOk ? body : plainText(text)), requestId, parseRetryAfter(response.headers.get('retry-after')), isSubmit);
    }
    if (!parsedOk) {
      throw new UpscaleError('unexpected', t('The service answered HTTP {0} with a body that is not JSON: "{1}".', response.status, plainText(text)), { status: response.status, requestId, mayHaveBeenCharged: isSubmit });
    }
    const answer = parse(body);
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
  return { images: answer.images, requestId: answer.requestId, taskId, ...(answer.usdMicros !== undefined ? { billedUsdMicros: answer.usdMicros } : {}) };
}

function backoff(attempt: number): number {
  return Math.min(1000 * 2 ** (attempt - 1), 30_000);
}

/** Ideogram's answer when the organisation has too many images in flight. */
function isInflightLimit(text: string): boolean {
  try {
    const body = JSON.parse(text) as { reject_reason?: unknown; error?: { reject_reason?: unknown } };
    return body.reject_reason === 'inflight_limit' || body.error?.reject_reason === 'inflight_limit';
  } catch {
    return false;
  }
}
