import { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Every way the real service (or a gateway in front of it) has been seen to fail, as the emulator
 * can produce it. `phase` says which request it hits: the upload, the task query, or the result
 * download.
 */
export const faults = {
  // The upload
  unauthorized: { phase: 'submit', status: 401, body: { error: { message: 'Invalid token', type: 'invalid_request_error' } } },
  forbidden: { phase: 'submit', status: 403, body: { error: 'Not authorized to generate an image.' } },
  paymentRequired: { phase: 'submit', status: 402, body: { error: { message: 'Payment required' } } },
  insufficientBalance: { phase: 'submit', status: 403, body: { error: { message: '该令牌额度已用尽 insufficient user quota', type: 'one_api_error' } } },
  tooLarge: { phase: 'submit', status: 413, body: { error: 'Request Entity Too Large' } },
  safetyRefusal: { phase: 'submit', status: 422, body: { error: 'Prompt or provided image failed safety check.' } },
  rateLimited: { phase: 'submit', status: 429, body: { error: 'Too many requests' }, headers: { 'retry-after': '1' } },
  rateLimitedNoRetryAfter: { phase: 'submit', status: 429, body: { error: 'Too many requests' } },
  serverError: { phase: 'submit', status: 500, body: { error: 'Internal Server Error' } },
  badGateway: { phase: 'submit', status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' },
  unavailable: { phase: 'submit', status: 503, body: { error: 'Service Unavailable' } },
  unavailableRetryAfter: { phase: 'submit', status: 503, body: { error: 'Service Unavailable' }, headers: { 'retry-after': '1' } },
  // A gateway that moved (http to https, or another path) answers the upload with a redirect.
  redirectedUpload: { phase: 'submit', status: 301, body: '<html><body>301 Moved Permanently</body></html>', headers: { location: 'https://127.0.0.1:9/ideogram/upscale' } },
  resetWhileUploading: { phase: 'submit', action: 'reset' },
  noAnswer: { phase: 'submit', action: 'hang' },
  notJson: { phase: 'submit', status: 200, body: '<html><body>Welcome to nginx!</body></html>' },
  // Ideogram's own refusal when the organisation has its most images in flight (10) already.
  inflightLimited: { phase: 'submit', status: 429, body: { error: 'Too many images in flight', reject_reason: 'inflight_limit', max_inflight_requests: 10 } },
  nonZeroCode: { phase: 'submit', status: 200, body: { code: 1001, message: 'image_request: invalid parameter', request_id: 'gw-req-1001' } },
  // The task
  taskFailed: { phase: 'task', action: 'fail' },
  taskNeverEnds: { phase: 'task', action: 'never' },
  // A gateway whose task store has a bad moment: its queries fail, the task goes on.
  taskQueryFails: { phase: 'query', status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' },
  // The same store down for good: the task may be done, but no query says so.
  taskQueryDown: { phase: 'query', status: 503, body: { error: 'Service Unavailable' } },
  // The result
  resultNotFound: { phase: 'download', status: 404, body: 'Not Found' },
  resultNotImage: { phase: 'download', status: 200, body: '<html>expired link</html>', headers: { 'content-type': 'image/png' } },
  resultHuge: { phase: 'download', action: 'huge' },
  redirectLoop: { phase: 'download', action: 'redirectLoop' },
  unsafe: { phase: 'result', action: 'unsafe' },
  // One of several results flagged by the safety filter; its link still works, and must not be fetched.
  oneUnsafe: { phase: 'result', action: 'oneUnsafe' },
  // A thumbnail, or a placeholder, in place of the upscale.
  resultSmaller: { phase: 'result', action: 'smaller' },
  // Headers at once, then a few bytes now and then: a stalled CDN, or a proxy holding the line open.
  resultStalls: { phase: 'download', action: 'trickle' },
  // Result links commonly answer with a redirect to a CDN (the emulator's `cdn` option).
  resultOnAnotherHost: { phase: 'download', action: 'redirectElsewhere' },
  // The first part of the real result, sent as if it were all of it (a CDN that dropped a
  // connection to its origin, a cache that kept half a file): a good header, no end.
  resultCutShort: { phase: 'download', action: 'cutShort' },
} as const satisfies Record<string, Fault>;

export type FaultName = keyof typeof faults;

export interface Fault {
  phase: 'submit' | 'task' | 'query' | 'download' | 'result';
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  action?: 'reset' | 'hang' | 'fail' | 'never' | 'huge' | 'redirectLoop' | 'unsafe' | 'oneUnsafe' | 'smaller' | 'trickle' | 'redirectElsewhere' | 'cutShort';
}

/** Answers with a status fault; true when it answered. */
export function answerWithStatus(fault: Fault, res: ServerResponse, requestId: string): boolean {
  if (fault.status === undefined) return false;
  const text = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body && typeof fault.body === 'object' && !Array.isArray(fault.body) ? { ...fault.body, request_id: (fault.body as { request_id?: string }).request_id ?? requestId } : fault.body);
  const type = typeof fault.body === 'string' ? 'text/html' : 'application/json';
  res.writeHead(fault.status, { 'content-type': type, 'x-request-id': requestId, ...fault.headers }).end(text);
  return true;
}

/** Reads part of the upload, then drops the connection: the client cannot know what arrived. */
export function resetMidUpload(req: IncomingMessage): void {
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > 1024) req.socket.destroy();
  });
  req.on('end', () => req.socket.destroy());
}

/** A PNG's signature, then a few bytes every quarter second: far under any floor, never ending on its own (a minute at most). */
export function trickle(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'image/png', 'content-length': 1_000_000 });
  res.write(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const started = Date.now();
  const timer = setInterval(() => {
    if (Date.now() - started > 60_000) res.destroy();
    else res.write(Buffer.alloc(16));
  }, 250);
  res.on('close', () => clearInterval(timer));
}
