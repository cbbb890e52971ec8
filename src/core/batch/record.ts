/**
 * The record of what is done, kept in the repository (`.vscode/ideogram-upscale.json`) so a rerun,
 * a teammate or CI skips it. One entry per image path, keys in a stable order, one entry per
 * line: two branches that upscale different images merge without a conflict.
 */
import { t } from '../i18n';

export interface DoneEntry {
  /** SHA-256 of the original as it was sent. */
  original: string;
  /** SHA-256 of what was written: the replaced file, or the copy beside it. */
  result: string;
  /** `replace` when the result took the original's place, `copy` when it was saved beside it. */
  output: 'replace' | 'copy';
  service: string;
  params: Record<string, unknown>;
  /** When it was done, as an ISO date (day precision keeps the diff quiet). */
  date: string;
}

export interface DoneRecord {
  version: 1;
  /** Workspace-relative paths with forward slashes. */
  images: Record<string, DoneEntry>;
}

export const recordPath = '.vscode/ideogram-upscale.json';

export function emptyRecord(): DoneRecord {
  return { version: 1, images: {} };
}

/** Reads a record; a file that is not one is an error that names what is wrong. */
export function parseRecord(text: string): DoneRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(t('{0} is not valid JSON ({1}).', recordPath, (err as Error).message), { cause: err });
  }
  if (typeof raw !== 'object' || raw === null || (raw as { version?: unknown }).version !== 1) {
    throw new Error(t('{0} is not a record of version 1.', recordPath));
  }
  const images = (raw as { images?: unknown }).images;
  const record = emptyRecord();
  if (typeof images !== 'object' || images === null) return record;
  for (const [path, entry] of Object.entries(images)) {
    const e = entry as Partial<DoneEntry>;
    if (typeof e.original === 'string' && typeof e.result === 'string') {
      record.images[path] = {
        original: e.original,
        result: e.result,
        output: e.output === 'copy' ? 'copy' : 'replace',
        service: String(e.service ?? ''),
        params: typeof e.params === 'object' && e.params !== null ? e.params : {},
        date: String(e.date ?? ''),
      };
    }
  }
  return record;
}

/** Sorted paths, sorted keys, one entry a line, a newline at the end. */
export function serializeRecord(record: DoneRecord): string {
  const paths = Object.keys(record.images).sort();
  const lines = paths.map((path) => `    ${JSON.stringify(path)}: ${stableJson(record.images[path])}`);
  return `{\n  "version": 1,\n  "images": {${lines.length ? `\n${lines.join(',\n')}\n  ` : ''}}\n}\n`;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Whether the file's current bytes are what the record says was done: the result that replaced
 * it, or (when the result was saved beside it) the original as it was sent.
 */
export function isDone(entry: DoneEntry | undefined, currentHash: string): boolean {
  if (!entry) return false;
  return currentHash === entry.result || (entry.output === 'copy' && currentHash === entry.original);
}
