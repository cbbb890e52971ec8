import { causeCode, transportError } from './httpErrors';

/** The part of ClientOptions that result downloads need as well. */
export interface Connection {
  fetch: typeof fetch;
  requestTimeoutMs: number;
  /**
   * How long an upload may wait for its connection, a proxy's tunnel and TLS included, before its
   * first byte leaves. Kept here rather than in a dispatcher: VS Code's fetch replaces a dispatcher
   * whenever it picks a proxy or adds certificates, and in `http.proxySupport` "on" a dispatcher
   * keeps it from picking the proxy at all.
   */
  connectTimeoutMs?: number;
  log?: (line: string) => void;
  /** What a result download must bring in each window once its headers are in (see download.ts). */
  stallFloor?: { bytes: number; windowMs: number };
}

/**
 * The request timeout joined with the user's cancel. Built on a timer the deadline itself holds,
 * not on AbortSignal.timeout + AbortSignal.any, whose signals Node may collect while a request
 * still waits on them (then the request never times out).
 */
export class Deadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private readonly onUserAbort = () => this.controller.abort(this.user?.reason);

  constructor(
    ms: number,
    private readonly user?: AbortSignal,
    connectMs?: number,
  ) {
    this.timer = setTimeout(() => this.controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')), ms);
    if (connectMs !== undefined) this.connectTimer = setTimeout(() => this.controller.abort(connectTimeout(connectMs)), connectMs);
    if (user?.aborted) this.onUserAbort();
    user?.addEventListener('abort', this.onUserAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The request's first byte is leaving: the connection (and any tunnel) is up. */
  connected(): void {
    clearTimeout(this.connectTimer);
  }

  /**
   * The answer's headers are in: its body is no longer held to the request timeout (a large result
   * on a slow link may take longer), only to the user's cancel and whatever `abort` is given.
   */
  answered(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  abort(reason: Error): void {
    this.controller.abort(reason);
  }

  end(): void {
    clearTimeout(this.timer);
    clearTimeout(this.connectTimer);
    this.user?.removeEventListener('abort', this.onUserAbort);
  }
}

/** Coded like undici's own connect timeout, so that it reads as "nothing was sent" (see httpErrors). */
function connectTimeout(ms: number): Error {
  return Object.assign(new Error(`no connection within ${ms} ms`), { name: 'ConnectTimeoutError', code: 'UND_ERR_CONNECT_TIMEOUT' });
}

export async function request(connection: Connection, url: string, init: RequestInit, userSignal: AbortSignal | undefined, method: string, logPath: string): Promise<Response> {
  const started = Date.now();
  try {
    const response = await connection.fetch(url, init);
    const requestId = response.headers.get('x-request-id') ?? response.headers.get('request-id') ?? undefined;
    connection.log?.(`${method} ${logPath} ${response.status}${requestId ? ` request-id=${requestId}` : ''} ${Date.now() - started} ms`);
    return response;
  } catch (err) {
    connection.log?.(`${method} ${logPath} failed after ${Date.now() - started} ms: ${causeCode(err) ?? (err as Error).name}`);
    throw transportError(err, userSignal, method, init.body !== undefined, connection.requestTimeoutMs);
  }
}
