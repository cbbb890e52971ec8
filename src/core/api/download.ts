import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isUpscalable, sniffFormat, UpscalableFormat } from '../images/format';
import { t } from '../i18n';
import { UpscaleError } from './errors';
import { redactQuery, transportError } from './httpErrors';
import { isLoopback } from './services';
import { Connection, Deadline, request } from './transport';

export interface Downloaded {
  path: string;
  format: UpscalableFormat;
  bytes: number;
}

const maxRedirects = 5;
/**
 * A result's body is held to a floor, not to the request timeout: each window must bring this
 * much. A large result on a slow link keeps going; a link that trickles a few bytes a second (a
 * stalled CDN, a proxy that holds the connection open) is stopped instead of hanging for hours.
 */
export const defaultStallFloor = { bytes: 32 * 1024, windowMs: 10_000 };
/** A 2x upscale of the largest accepted input stays far below this. */
const maxResultBytes = 200 * 1024 * 1024;

export async function downloadResult(connection: Connection, url: string, path: string, signal?: AbortSignal): Promise<Downloaded> {
  const deadline = new Deadline(connection.requestTimeoutMs, signal);
  try {
    return await downloadWithin(connection, url, path, signal, deadline);
  } finally {
    deadline.end();
  }
}

async function downloadWithin(connection: Connection, url: string, path: string, user: AbortSignal | undefined, deadline: Deadline): Promise<Downloaded> {
  const response = await followRedirects(connection, url, user, deadline.signal);
  deadline.answered();
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
  const floor = connection.stallFloor ?? defaultStallFloor;
  let counted = 0;
  let stalled = false;
  const watch = setInterval(() => {
    if (bytes - counted < floor.bytes) {
      stalled = true;
      deadline.abort(new Error('stalled'));
    }
    counted = bytes;
  }, floor.windowMs);
  try {
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), guard, createWriteStream(path));
  } catch (err) {
    await rm(path, { force: true });
    if (err instanceof UpscaleError) throw err;
    if (stalled && !user?.aborted) {
      throw new UpscaleError('network', t('The result stopped coming: less than {0} KB arrived in {1} s, so its download was stopped and nothing was saved.', Math.round(floor.bytes / 1024), Math.round(floor.windowMs / 1000)), { mayHaveBeenCharged: true });
    }
    throw transportError(err, user, 'GET', false, connection.requestTimeoutMs);
  } finally {
    clearInterval(watch);
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
async function followRedirects(connection: Connection, url: string, user: AbortSignal | undefined, signal: AbortSignal): Promise<Response> {
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
    const response = await request(connection, parsed.href, { method: 'GET', redirect: 'manual', signal }, user, 'GET', redactQuery(parsed));
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
