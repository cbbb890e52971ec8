import { paramsSummary, UpscaleParams } from '../api/params';
import { t } from '../i18n';

/** An image as the summary tells it: before and after. */
export interface SummaryImage {
  width?: number;
  height?: number;
  bytes: number;
}

/** One job of a run, as much as a summary needs (the command takes it from the job store). */
export interface SummaryJob {
  /** Relative to the workspace, with forward slashes. */
  file: string;
  done: boolean;
  before?: SummaryImage;
  /** The result that was kept: the one that replaced the original, else the one saved, else the first. */
  after?: SummaryImage;
  preset?: string;
  params: UpscaleParams;
  seed?: number;
  /** The service's name for the user. */
  service?: string;
  /** Results the service billed (withheld ones too). */
  billed: number;
  price?: { perResult: number; currency: string };
  /** What the service said it billed, in millionths of a dollar (Ideogram's current upscalers report it). */
  billedUsdMicros?: number;
}

/**
 * A Markdown table of a run (or several), ready to paste into a pull request: one row per image
 * with a result, then the totals. Images without one (failed, cancelled) are counted below it.
 */
export function summaryMarkdown(jobs: readonly SummaryJob[]): string {
  const rows = jobs.filter((j) => j.done && j.after);
  const head = [t('File'), t('Size (W×H)'), t('Bytes'), t('Preset or parameters'), t('Seed'), t('Service'), t('Price')];
  const lines = [row(head), '| --- | --- | --- | --- | ---: | --- | ---: |'];
  for (const job of rows) {
    lines.push(
      row([
        `\`${job.file.replace(/`/g, "'")}\``,
        `${dims(job.before)} → ${dims(job.after)}`,
        `${bytes(job.before?.bytes)} → ${bytes(job.after?.bytes)}`,
        // The v2 upscalers' model and factor are what a reviewer needs; a preset name would hide them.
        job.params.model !== undefined ? paramsSummary(job.params) : (job.preset ?? paramsSummary(job.params)),
        job.seed === undefined ? '—' : String(job.seed),
        job.service ?? '—',
        priceOf(job) ? `${amount(priceOf(job)!.amount)} ${priceOf(job)!.currency}` : '—',
      ]),
    );
  }
  const before = rows.reduce((sum, j) => sum + (j.before?.bytes ?? 0), 0);
  const after = rows.reduce((sum, j) => sum + (j.after?.bytes ?? 0), 0);
  lines.push(row([`**${rows.length === 1 ? t('Total: 1 image') : t('Total: {0} images', rows.length)}**`, '', `**${bytes(before)} → ${bytes(after)}**`, '', '', '', `**${totalPrice(rows)}**`]));
  const left = jobs.length - rows.length;
  if (left > 0) lines.push('', left === 1 ? t('1 image has no result (failed or cancelled) and is not listed.') : t('{0} images have no result (failed or cancelled) and are not listed.', left));
  return lines.join('\n') + '\n';
}

/** A cell may not hold a pipe or a line break. */
function row(cells: string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')).join(' | ')} |`;
}

function dims(image: SummaryImage | undefined): string {
  return image?.width && image.height ? `${image.width}×${image.height}` : '?';
}

function bytes(n: number | undefined): string {
  if (n === undefined) return '?';
  if (n < 1024) return t('{0} B', n);
  return n < 1024 * 1024 ? t('{0} KB', +(n / 1024).toFixed(1)) : t('{0} MB', +(n / 1024 / 1024).toFixed(1));
}

function amount(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}

/** Summed per currency: a run priced in two is told as two sums. */
function totalPrice(rows: readonly SummaryJob[]): string {
  const sums = new Map<string, number>();
  for (const job of rows) {
    const price = priceOf(job);
    if (price) sums.set(price.currency, (sums.get(price.currency) ?? 0) + price.amount);
  }
  return sums.size ? [...sums].map(([currency, sum]) => `${amount(sum)} ${currency}`).join(' + ') : '—';
}

/** What the service said it billed where it said so, else the results at the price per result. */
function priceOf(job: SummaryJob): { amount: number; currency: string } | undefined {
  if (job.billedUsdMicros !== undefined) return { amount: job.billedUsdMicros / 1e6, currency: 'USD' };
  return job.price && { amount: job.billed * job.price.perResult, currency: job.price.currency };
}
