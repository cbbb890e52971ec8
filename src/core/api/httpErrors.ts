import { t } from '../i18n';
import { FailureKind, UpscaleError } from './errors';
import type { ServiceProfile } from './services';

/** Connection errors raised before any byte of the request left: safe to send again. */
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** TLS verification failures: the handshake ended before any byte of the request. */
const untrustedCertificateCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * The status a proxy answered a tunnel with, when it was not 200. undici (and VS Code's fetch,
 * which mimics it after a failed sign-in) says it only in a message, two causes down in Node's fetch.
 */
function proxyRefusal(err: unknown): number | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const status = /^Proxy response \((\d{3})\)/.exec(e.message)?.[1];
    if (status !== undefined) return Number(status);
  }
  return undefined;
}

export function transportError(err: unknown, userSignal: AbortSignal | undefined, method: string, hadBody: boolean, timeoutMs: number): UpscaleError {
  if (userSignal?.aborted) {
    return new UpscaleError('cancelled', t('Cancelled.'), { mayHaveBeenCharged: hadBody });
  }
  const code = causeCode(err);
  const name = (err as Error)?.name;
  if (name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new UpscaleError('timeout', t('The service did not answer within {0} s.', Math.round(timeoutMs / 1000)), { mayHaveBeenCharged: hadBody });
  }
  if (hadBody && causeMessage(err) === 'unexpected redirect') {
    return new UpscaleError('unexpected', t('The service answered the upload with a redirect, so nothing was upscaled; the address may need https:// or another path.'), { mayHaveBeenCharged: false });
  }
  const refused = proxyRefusal(err);
  if (refused === 407) {
    return new UpscaleError('proxyAuth', t('The proxy asked for authentication (HTTP 407), so nothing reached the service.'), { status: 407, mayHaveBeenCharged: false });
  }
  if (refused !== undefined) {
    return new UpscaleError('network', t('The proxy refused the connection to the service (HTTP {0}).', refused), { status: refused, mayHaveBeenCharged: false });
  }
  if (code !== undefined && untrustedCertificateCodes.has(code)) {
    return new UpscaleError('certificate', t('The service\'s TLS certificate is not trusted ({0}), so nothing was sent.', code), { mayHaveBeenCharged: false });
  }
  const notSent = code !== undefined && notSentCodes.has(code);
  const what = code ?? (err as Error)?.message ?? 'network error';
  if (hadBody && !notSent && method === 'POST') {
    return new UpscaleError('network', t('The connection to the service broke while sending the image ({0}); it may have arrived, so it was not sent again.', what), { mayHaveBeenCharged: true });
  }
  return new UpscaleError('network', t('Could not reach the service ({0}).', what), { mayHaveBeenCharged: false });
}

const balanceWords = /insufficient|balance|quota|余额|额度|credit/i;

export function failureForMessage(message: string, requestId: string | undefined, charged: boolean): UpscaleError {
  const kind: FailureKind = balanceWords.test(message) ? 'balance' : /unauthori[sz]ed|invalid (api )?key|令牌|token/i.test(message) ? 'auth' : 'badRequest';
  return new UpscaleError(kind, t('The service refused the request: {0}.', message), { requestId, serviceMessage: message, mayHaveBeenCharged: charged && kind === 'badRequest' });
}

export function failureForStatus(status: number, message: string | undefined, requestId: string | undefined, retryAfterMs: number | undefined, isSubmit: boolean): UpscaleError {
  const said = message ? `: ${message}` : '';
  const details = { status, requestId, serviceMessage: message, retryAfterMs };
  if (message && balanceWords.test(message)) {
    return new UpscaleError('balance', t('The account has no balance left (HTTP {0}{1}).', status, said), details);
  }
  switch (status) {
    case 401:
    case 403:
      return new UpscaleError('auth', t('The service did not accept the API key (HTTP {0}{1}).', status, said), details);
    case 402:
      return new UpscaleError('balance', t('The account has no balance left (HTTP 402{0}).', said), details);
    case 400:
      return new UpscaleError('badRequest', t('The service refused the request (HTTP 400{0}).', said), details);
    case 404:
      return new UpscaleError('unexpected', t('The service has no such path (HTTP 404{0}).', said), details);
    case 413:
      return new UpscaleError('tooLarge', t('The image is too large for the service (HTTP 413{0}).', said), details);
    case 422:
      return new UpscaleError('safety', t('The service refused the image on safety grounds (HTTP 422{0}).', said), details);
    case 429:
      return new UpscaleError('rateLimited', t('The service is limiting requests (HTTP 429{0}).', said), details);
    default:
      if (status >= 500) {
        return new UpscaleError('server', t('The service failed (HTTP {0}{1}).', status, said), { ...details, mayHaveBeenCharged: isSubmit });
      }
      return new UpscaleError('unexpected', t('The service answered HTTP {0}{1}.', status, said), details);
  }
}

/** For the Ideogram service, an answer of no known shape points at its own address setting. */
export function addressStep(profile: ServiceProfile): string | undefined {
  return profile.service !== 'gateway' ? t('Check "ideogramUpscale.ideogramBaseUrl": it may not point at Ideogram\'s API.') : undefined;
}

export function taskQueryStep(profile: ServiceProfile): string | undefined {
  return profile.service === 'gateway' ? t('Check "ideogramUpscale.taskQueryPath": it must be the path, under the address, where your gateway answers task queries.') : undefined;
}

const pointable: FailureKind[] = ['unexpected'];

/** The failure with `step` as what to do next, when it is one that a setting may have caused. */
export function pointAt(err: UpscaleError, step: string | undefined): UpscaleError {
  if (!step || !(err instanceof UpscaleError) || !pointable.includes(err.kind) || err.details.nextStep) return err;
  return new UpscaleError(err.kind, err.message, { ...err.details, nextStep: step });
}

export function pointedAt<T>(read: () => T, step: string | undefined): T {
  try {
    return read();
  } catch (err) {
    throw pointAt(err as UpscaleError, step);
  }
}

/** Ideogram's 429 for an organisation with as many images in flight as it may have, after the retries. */
export function inflightLimitFailure(requestId: string | undefined): UpscaleError {
  return new UpscaleError('rateLimited', t('The service has as many images in flight as the account allows (HTTP 429 inflight_limit); fewer were sent at a time and it was sent again after a wait, and still refused. Lower "ideogramUpscale.maxImagesInFlight" if other tools use the same key.'), { status: 429, requestId });
}

export async function readCapped(response: Response, cap: number): Promise<string> {
  if (!response.body) {
    return '';
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > cap) {
      await response.body.cancel().catch(() => undefined);
      break;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The start of a non-JSON body as readable text (an HTML error page loses its tags). */
export function plainText(text: string): string {
  const plain = text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return plain.length > 120 ? plain.slice(0, 119) + '…' : plain;
}

/** Seconds or an HTTP date, as RFC 9110 allows. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function causeCode(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: string } })?.cause;
  return cause?.code ?? (err as { code?: string })?.code;
}

/** fetch names a refused redirect only in the message of its cause. */
function causeMessage(err: unknown): string | undefined {
  return (err as { cause?: { message?: string } })?.cause?.message;
}

/** Result links carry signatures in their query: keep those out of the log. */
export function redactQuery(url: URL): string {
  return `${url.host}${url.pathname}${url.search ? '?…' : ''}`;
}
