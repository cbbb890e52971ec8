import type { ImageView, JobView } from '../src/shared/protocol';
import { labels, lang } from './page';

/** Numbers and sizes in the user's language; the sentences around them come from the extension. */

/** Fills `{0}`, `{1}`… in a label. */
export function format(template: string, ...args: string[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, i: string) => args[Number(i)] ?? whole);
}

export function dims(image: ImageView): string {
  return image.width && image.height ? `${image.width}×${image.height}` : '';
}

export function fromLine(source: ImageView, result: ImageView): string {
  if (!source.width || !result.width || !source.height || !result.height) return '';
  const factor = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(result.width / source.width);
  return format(labels.from, dims(source), dims(result), factor);
}

/** `0:07`, `2:05`, `1:02:05`: no words to translate. */
export function formatElapsed(job: JobView): string {
  const total = Math.max(0, Math.floor(((job.endedAt ?? Date.now()) - job.startedAt) / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

export function formatBytes(bytes: number): string {
  const [value, unit] = bytes < 1024 ? [bytes, 'byte'] : bytes < 1024 * 1024 ? [bytes / 1024, 'kilobyte'] : [bytes / 1024 / 1024, 'megabyte'];
  // The short form of a plain byte count is "324 byte" in English; the long one says "324 bytes".
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: unit === 'byte' ? 'long' : 'short', maximumFractionDigits: 1 }).format(value);
}
