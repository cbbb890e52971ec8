import { t } from '../i18n';

/** Why an upscale did not produce images, in terms a user can act on. */
export type FailureKind =
  | 'input' // the file cannot be sent: refused before any upload
  | 'auth' // 401/403: the key is wrong or has no access
  | 'balance' // 402 or a gateway's "insufficient balance"
  | 'badRequest' // 400: the service refused the parameters or the image
  | 'tooLarge' // 413
  | 'safety' // 422 or every image withheld by the safety filter
  | 'rateLimited' // 429 after the retries allowed
  | 'server' // 5xx
  | 'network' // no connection, reset, DNS
  | 'proxyAuth' // the proxy asked for credentials (407): nothing reached the service
  | 'certificate' // the service's TLS certificate is not trusted: nothing was sent
  | 'timeout' // no answer within the request timeout
  | 'taskFailed' // the service's task ended "failed"
  | 'taskTimeout' // the task did not finish within the task timeout
  | 'download' // a result could not be downloaded or is not an image
  | 'unexpected' // an answer of no known shape
  | 'interrupted' // the window closed while the job ran
  | 'cancelled';

export interface FailureDetails {
  status?: number;
  requestId?: string;
  /** The service's own words, when it gave any. */
  serviceMessage?: string;
  retryAfterMs?: number;
  /** True when the upload may have reached the service (and may be charged). */
  mayHaveBeenCharged?: boolean;
  /** What to do next, when it is more precise than the kind's (another setting to check, say); translated. */
  nextStep?: string;
}

export class UpscaleError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly details: FailureDetails = {},
  ) {
    super(message);
    this.name = 'UpscaleError';
  }
}

const nextStep: Record<FailureKind, string> = {
  input: '', // each refusal of a file says itself what to do
  auth: 'Check the API key: run "Ideogram: Set API Key".',
  balance: 'Top up the account at your API provider, then try again.',
  badRequest: 'Check the image and the parameters, then try again.',
  tooLarge: 'Use a smaller image.',
  safety: 'The service will not upscale this image; try another image or prompt.',
  rateLimited: 'Wait a minute, or lower the number of images in flight, then try again.',
  server: 'The service had a problem; try again later.',
  network: 'Check your connection and proxy settings (http.proxy), then try again.',
  proxyAuth: 'Give the proxy\'s user name and password in "http.proxy" (http://user:password@host:port), or sign in when VS Code asks for the proxy\'s credentials, then try again.',
  certificate: 'Make the certificate trusted by the system (VS Code uses the system\'s certificates while "http.systemCertificates" is on), or point the address at a service with a trusted certificate.',
  timeout: 'The service did not answer in time; try again, or raise "ideogramUpscale.requestTimeoutSeconds".',
  taskFailed: 'Try again, perhaps with other parameters.',
  taskTimeout: 'The task may still finish on the service; raise "ideogramUpscale.taskTimeoutSeconds" to wait longer.',
  download: 'Try again; result links expire after a while.',
  unexpected: 'Check "ideogramUpscale.baseUrl": it may not point at an Ideogram gateway.',
  interrupted: '', // the message says what to do
  cancelled: '',
};

/** One sentence naming the cause, then the next step, then the request id for support. */
export function describeFailure(err: unknown): string {
  if (!(err instanceof UpscaleError)) {
    return err instanceof Error ? err.message : String(err);
  }
  const parts = [err.message];
  if (err.details.nextStep) {
    parts.push(err.details.nextStep);
  } else if (nextStep[err.kind]) {
    parts.push(t(nextStep[err.kind]));
  }
  if (err.details.requestId) {
    parts.push(t('(request id {0})', err.details.requestId));
  }
  return parts.join(' ');
}

export function isCancellation(err: unknown): boolean {
  return err instanceof UpscaleError && err.kind === 'cancelled';
}
