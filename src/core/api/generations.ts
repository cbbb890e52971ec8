import type { Answer, ResultImage } from './responses';
import { errorMessageOf, requestIdOf } from './responses';

/**
 * The answers of Ideogram's v2 endpoints: a synchronous `{generation_id, data}`, an accepted
 * asynchronous `{generation_id}`, and `GET /v2/generations/{id}` with `status` pending, completed
 * (`data`, `usage_cost_usd_micros` when billed by usage) or failed (`failure_reason`).
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const micros = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

function imagesOf(list: unknown[]): ResultImage[] {
  const images: ResultImage[] = [];
  for (const raw of list) {
    // Items of another shape (a video, say) are not results of an upscale.
    if (!isObject(raw) || (raw.object_type !== undefined && raw.object_type !== 'image')) continue;
    const url = str(raw.url) ?? '';
    const width = typeof raw.width === 'number' ? raw.width : undefined;
    const height = typeof raw.height === 'number' ? raw.height : undefined;
    images.push({
      url,
      isImageSafe: typeof raw.is_image_safe === 'boolean' ? raw.is_image_safe && url !== '' : url !== '',
      seed: typeof raw.seed === 'number' ? raw.seed : undefined,
      resolution: str(raw.resolution) ?? (width && height ? `${width}x${height}` : undefined),
    });
  }
  return images;
}

/** Reads a parsed JSON body of a 2xx answer of a v2 upscale or generation query. */
export function parseGeneration(body: unknown): Answer {
  if (!isObject(body)) return { kind: 'unknown' };
  const requestId = requestIdOf(body);
  const id = body.generation_id;
  if (body.error !== undefined && id === undefined) return { kind: 'error', message: errorMessageOf(body) ?? 'error', requestId };
  if (typeof id !== 'string' || id === '') return { kind: 'unknown' };
  const usdMicros = micros(body.usage_cost_usd_micros);
  const images = Array.isArray(body.data) ? imagesOf(body.data) : [];
  const status = body.status;
  if (status === undefined) {
    // A synchronous answer carries its results; an accepted asynchronous one only its id.
    return Array.isArray(body.data) ? { kind: 'images', images, requestId, usdMicros } : { kind: 'task', taskId: id, status: 'submitted', images: [], requestId };
  }
  if (status === 'pending') return { kind: 'task', taskId: id, status: 'processing', images: [], requestId };
  if (status === 'completed') return { kind: 'task', taskId: id, status: 'succeed', images, requestId, usdMicros };
  if (status === 'failed') return { kind: 'task', taskId: id, status: 'failed', message: str(body.failure_reason), images: [], requestId };
  return { kind: 'unknown' };
}

/** A dry run's answer: what the request would bill, in millionths of a US dollar. */
export interface PriceQuote {
  usdMicros: number;
  qualifier: 'exact' | 'estimate';
  /** The most it can cost, when the quote is an estimate. */
  upperBoundUsdMicros?: number;
  quantity?: number;
  billingIdentifier?: string;
}

/** Reads a `PriceQuote`; undefined for any other shape. */
export function parseQuote(body: unknown): PriceQuote | undefined {
  if (!isObject(body) || body.object !== 'price_quote') return undefined;
  const usdMicros = micros(body.usd_micros);
  if (usdMicros === undefined) return undefined;
  const upper = micros(body.upper_bound_usd_micros);
  return {
    usdMicros,
    // Anything but "exact" is taken as an estimate: never shown as exact when it is not.
    qualifier: body.qualifier === 'exact' ? 'exact' : 'estimate',
    ...(upper !== undefined ? { upperBoundUsdMicros: upper } : {}),
    ...(typeof body.quantity === 'number' ? { quantity: body.quantity } : {}),
    ...(str(body.billing_identifier) ? { billingIdentifier: str(body.billing_identifier) } : {}),
  };
}
