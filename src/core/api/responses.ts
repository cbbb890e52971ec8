/**
 * The answers seen for the upscale path (../shared/api/API-NOTES.md): Ideogram's synchronous list,
 * the same list wrapped in a gateway's `{code, data}`, and a task envelope that must be polled.
 */

export interface ResultImage {
  /** Empty when the safety filter withheld the image. */
  url: string;
  isImageSafe: boolean;
  seed?: number;
  resolution?: string;
  prompt?: string;
}

export type TaskStatus = 'submitted' | 'processing' | 'succeed' | 'failed';

export type Answer =
  | { kind: 'images'; images: ResultImage[]; requestId?: string; usdMicros?: number }
  | { kind: 'task'; taskId: string; status: TaskStatus; message?: string; images: ResultImage[]; requestId?: string; tookMs?: number; usdMicros?: number }
  | { kind: 'error'; message: string; code?: number | string; requestId?: string }
  | { kind: 'unknown' };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function errorMessageOf(body: unknown): string | undefined {
  if (typeof body === 'string') {
    return str(body.trim());
  }
  if (!isObject(body)) {
    return undefined;
  }
  const error = body.error;
  if (typeof error === 'string') {
    return error;
  }
  if (isObject(error)) {
    return str(error.message) ?? str(error.code);
  }
  return str(body.message) ?? str(body.msg) ?? str(body.detail);
}

export function requestIdOf(body: unknown): string | undefined {
  if (!isObject(body)) {
    return undefined;
  }
  const id = body.request_id ?? body.requestId ?? (isObject(body.error) ? body.error.request_id : undefined);
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

function imageOf(raw: unknown): ResultImage | undefined {
  if (!isObject(raw)) {
    return undefined;
  }
  const url = str(raw.url) ?? '';
  return {
    url,
    // A task result lists only images that exist; Ideogram's list says so per image.
    isImageSafe: typeof raw.is_image_safe === 'boolean' ? raw.is_image_safe && url !== '' : url !== '',
    seed: typeof raw.seed === 'number' ? raw.seed : undefined,
    resolution: str(raw.upscaled_resolution) ?? str(raw.resolution),
    prompt: str(raw.prompt),
  };
}

function imagesOf(list: unknown[]): ResultImage[] {
  return list.map(imageOf).filter((i): i is ResultImage => i !== undefined);
}

const statuses: readonly TaskStatus[] = ['submitted', 'processing', 'succeed', 'failed'];

function normaliseStatus(raw: unknown): TaskStatus | undefined {
  const s = typeof raw === 'string' ? raw.toLowerCase() : '';
  if ((statuses as readonly string[]).includes(s)) {
    return s as TaskStatus;
  }
  // Spellings other gateways use for the same states.
  if (s === 'success' || s === 'succeeded' || s === 'completed') return 'succeed';
  if (s === 'failure' || s === 'error') return 'failed';
  if (s === 'queued' || s === 'pending') return 'submitted';
  if (s === 'running' || s === 'in_progress') return 'processing';
  return undefined;
}

/** Reads a parsed JSON body of a 2xx answer. */
export function parseAnswer(body: unknown): Answer {
  if (Array.isArray(body)) {
    return { kind: 'images', images: imagesOf(body) };
  }
  if (!isObject(body)) {
    return { kind: 'unknown' };
  }
  const requestId = requestIdOf(body);
  const code = body.code;
  if (code !== undefined && code !== 0 && code !== '0' && code !== 200 && code !== 'success') {
    return { kind: 'error', message: errorMessageOf(body) ?? `code ${String(code)}`, code: code as number | string, requestId };
  }
  if (body.error !== undefined && body.data === undefined) {
    return { kind: 'error', message: errorMessageOf(body) ?? 'error', requestId };
  }
  const data = body.data;
  if (Array.isArray(data)) {
    return { kind: 'images', images: imagesOf(data), requestId };
  }
  if (isObject(data)) {
    if (Array.isArray(data.data)) {
      return { kind: 'images', images: imagesOf(data.data), requestId: requestId ?? requestIdOf(data) };
    }
    const taskId = data.task_id;
    if (typeof taskId === 'string' || typeof taskId === 'number') {
      const status = normaliseStatus(data.task_status);
      if (!status) {
        return { kind: 'unknown' };
      }
      const result = isObject(data.task_result) ? data.task_result : undefined;
      const images = result && Array.isArray(result.images) ? imagesOf(result.images) : [];
      const tookMs = status === 'succeed' ? durationOf(data.created_at, data.updated_at) : undefined;
      const task = { kind: 'task' as const, taskId: String(taskId), status, message: str(data.task_status_msg), images, requestId };
      return tookMs === undefined ? task : { ...task, tookMs };
    }
  }
  return { kind: 'unknown' };
}

/** How long a finished task took by the service's own clock (milliseconds, or seconds in some gateways). */
function durationOf(created: unknown, updated: unknown): number | undefined {
  if (typeof created !== 'number' || typeof updated !== 'number' || updated <= created) return undefined;
  const ms = created < 1e11 ? (updated - created) * 1000 : updated - created;
  return ms < 24 * 3600_000 ? ms : undefined;
}
