import type { JobState } from '../src/shared/jobState';
import { isEnded } from '../src/shared/jobState';
import type { ImageView, JobView, ResultAction, ResultView } from '../src/shared/protocol';
import { button, el, icon, iconButton, keyed } from './dom';
import { images, jobs, labels, ui } from './page';
import { dims, format, formatBytes, formatElapsed, fromLine } from './words';

/** One job's card, built afresh from its JobView (the page merges it into the one shown), and the toolbar. */

/** A card's badge: its state, or `interrupted` for a job stopped by the window closing (not by the service). */
type Badge = JobState | 'interrupted';

const badgeIcon: Record<Badge, string> = {
  queued: 'clock',
  uploading: 'loading codicon-modifier-spin',
  waiting: 'loading codicon-modifier-spin',
  downloading: 'loading codicon-modifier-spin',
  done: 'check',
  failed: 'error',
  interrupted: 'debug-pause',
  cancelled: 'circle-slash',
};

/** The actions offered for the chosen result, in order, with their icons. */
const actionIcons: [Exclude<ResultAction, 'undo'>, string][] = [
  ['replace', 'replace'],
  ['saveNext', 'save'],
  ['saveAs', 'save-as'],
  ['open', 'go-to-file'],
  ['reveal', 'folder-opened'],
  ['runAgain', 'refresh'],
];

/**
 * What "Replace all" replaces: in the newest run, each done image that was neither replaced nor
 * saved, with the result its card shows.
 */
export function replaceAllPicks(): { jobId: string; resultId: string }[] {
  const newest = [...jobs.values()].pop()?.batch;
  if (!newest) return [];
  const picks: { jobId: string; resultId: string }[] = [];
  for (const job of jobs.values()) {
    if (job.batch !== newest || job.state !== 'done' || job.results.some((r) => r.replaced || r.savedAs.length > 0)) continue;
    const result = job.results.find((r) => r.id === ui.chosen[job.id] && r.image) ?? job.results.find((r) => r.image);
    if (result) picks.push({ jobId: job.id, resultId: result.id });
  }
  return picks;
}

export function toolbarContent(): HTMLElement {
  const bar = el('div');
  const picks = replaceAllPicks();
  // Offered for a run of several images; one image has its own Replace.
  if (picks.length > 1) {
    const all = keyed(iconButton('replace-all', `${labels.replaceAll} (${picks.length})`, 'bulk', { bulk: 'replaceAll' }), 'replaceAll');
    bar.append(all);
  }
  bar.append(
    segmented('mode', [
      ['slider', labels.slider],
      ['sideBySide', labels.sideBySide],
    ], ui.mode),
    segmented('zoom', [
      ['fit', labels.fit],
      ['actualSize', labels.actualSize],
    ], ui.zoom),
    iconButton('copy', labels.copySummary, 'action summary', { action: 'summary' }),
  );
  return bar;
}

function segmented(name: 'mode' | 'zoom', options: [string, string][], current: string): HTMLElement {
  const group = el('div', 'segmented');
  group.setAttribute('role', 'group');
  group.dataset.key = name;
  for (const [value, label] of options) {
    const b = button(label, 'toggle');
    b.dataset[name] = value;
    b.setAttribute('aria-pressed', String(value === current));
    group.append(b);
  }
  return group;
}

export function jobCard(job: JobView): HTMLElement {
  const card = el('section', `job state-${job.state}`);
  card.id = `job-${job.id}`;
  card.dataset.jobId = job.id;
  card.setAttribute('aria-label', job.fileName);
  card.append(jobHeader(job), keyed(el('p', 'params', job.params), 'params'));
  if (job.failure || job.actionError) card.append(errorBox(job));
  const chosen = chosenResult(job);
  if (job.results.length > 1 || (job.results.length === 0 && job.source)) card.append(thumbnails(job, chosen));
  if (chosen?.image && job.source) card.append(comparison(job, job.source, chosen, chosen.image));
  else if (chosen?.image) card.append(keyed(imageFigure(chosen.image, labels.upscaled, 'single'), 'single'));
  else if (job.results.length === 1 && job.results[0].withheld) card.append(withheldMark('withheld-large'));
  if (chosen?.image) card.append(resultActions(chosen));
  return card;
}

function jobHeader(job: JobView): HTMLElement {
  const head = keyed(el('header', 'job-head'), 'head');
  const title = el('div', 'title');
  const name = el('h2', 'file-name', job.fileName);
  name.title = job.relativePath;
  title.append(name);
  if (job.relativePath && job.relativePath !== job.fileName) title.append(el('span', 'file-path', job.relativePath));
  const kind: Badge = job.interrupted ? 'interrupted' : job.state;
  const badge = el('span', `badge badge-${kind}`);
  badge.append(icon(badgeIcon[kind]), el('span', 'badge-text', labels[kind]));
  // A queued job's clock would count its wait, then start again when it runs: it has none yet.
  const elapsed = el('span', 'elapsed', job.state === 'queued' ? '' : formatElapsed(job));
  elapsed.setAttribute('role', 'timer');
  head.append(title, badge, elapsed);
  if (!isEnded(job.state)) head.append(iconButton('close', labels.cancel, 'cancel', { action: 'cancel' }));
  return head;
}

function errorBox(job: JobView): HTMLElement {
  const box = keyed(el('div', job.interrupted ? 'alert alert-warning' : 'alert'), 'alert');
  box.setAttribute('role', 'alert');
  const message = el('p', 'alert-message');
  const text = job.failure ?? job.actionError ?? '';
  message.append(icon(job.interrupted ? 'warning' : 'error'), el('span', undefined, text));
  box.append(message);
  // The message names the id when the failure came with one; otherwise (a failed download after an
  // accepted upload) the upload's id is shown here.
  if (job.requestId && !text.includes(job.requestId)) box.append(el('p', 'request-id', format(labels.requestId, job.requestId)));
  // A job whose task the service still has is resumed, not sent (and billed) again.
  if (job.resumable) box.append(iconButton('debug-continue', labels.resume, 'action primary', { action: 'resume' }));
  else if (job.state === 'failed' || job.state === 'cancelled') box.append(iconButton('refresh', labels.runAgain, 'action', { action: 'retry' }));
  return box;
}

/** The original, then (for several results) one button per result; the pressed one is compared below. */
function thumbnails(job: JobView, chosen: ResultView | undefined): HTMLElement {
  const grid = keyed(el('div', 'thumbs'), 'thumbs');
  if (job.source) {
    const original = keyed(el('figure', 'thumb thumb-original'), 'original');
    original.append(thumbImage(job.source, ''), el('figcaption', 'thumb-caption', labels.original));
    grid.append(original);
  }
  job.results.forEach((result, index) => grid.append(resultThumb(result, index, result === chosen)));
  return grid;
}

function resultThumb(result: ResultView, index: number, pressed: boolean): HTMLElement {
  const caption = result.seed !== undefined ? format(labels.seed, String(result.seed)) : `${labels.upscaled} ${index + 1}`;
  const thumb = keyed(button(undefined, 'thumb thumb-result'), `result-${result.id}`);
  thumb.dataset.resultId = result.id;
  if (result.image && !result.withheld) {
    thumb.dataset.action = 'choose';
    thumb.setAttribute('aria-pressed', String(pressed));
    thumb.append(thumbImage(result.image, ''), el('span', 'thumb-caption', caption));
  } else {
    thumb.setAttribute('aria-disabled', 'true');
    thumb.classList.add(result.withheld ? 'thumb-withheld' : 'thumb-pending');
    const mark = result.withheld ? withheldMark('withheld-small') : el('div', 'pending-mark');
    if (!result.withheld) mark.append(icon('loading codicon-modifier-spin'));
    thumb.append(mark, el('span', 'thumb-caption', caption));
  }
  return thumb;
}

function withheldMark(className: string): HTMLElement {
  const mark = keyed(el('div', `withheld ${className}`), 'withheld');
  mark.append(icon('warning'), el('span', 'withheld-text', labels.withheld));
  return mark;
}

/**
 * The original and the chosen result in one frame: stacked with a divider in slider mode, in two
 * equal columns side by side; the page's `data-mode` and `data-zoom` decide, through the stylesheet.
 */
function comparison(job: JobView, source: ImageView, result: ResultView, image: ImageView): HTMLElement {
  const box = keyed(el('div', 'compare'), 'compare');
  const pos = ui.pos[job.id] ?? 50;
  if (image.width) box.style.setProperty('--w', `${image.width}px`);
  if (image.width && image.height) box.style.setProperty('--ar', String(image.width / image.height));
  const frame = el('div', result.aspectMismatch ? 'frame mismatch' : 'frame');
  frame.style.setProperty('--pos', `${pos}%`);
  const divider = el('div', 'divider');
  divider.setAttribute('aria-hidden', 'true');
  frame.append(picture(source, labels.original, 'img-original'), picture(image, labels.upscaled, 'img-result'), divider);
  if (result.aspectMismatch) frame.append(originalOutline(source, image));
  const viewport = el('div', 'viewport');
  viewport.append(frame);

  const captions = el('div', 'captions');
  captions.append(
    el('p', 'caption caption-original', [labels.original, dims(source), formatBytes(source.bytes)].filter(Boolean).join(' · ')),
    el('p', 'caption caption-result', [labels.upscaled, dims(image), formatBytes(image.bytes), result.seed !== undefined ? format(labels.seed, String(result.seed)) : ''].filter(Boolean).join(' · ')),
  );
  box.append(viewport, slider(pos), captions);
  const from = fromLine(source, image);
  if (from) box.append(el('p', 'from', from));
  return box;
}

/** Where the original's proportions sit inside the result's box: both outlines over the image. */
function originalOutline(source: ImageView, image: ImageView): HTMLElement {
  const outline = el('div', 'outline-original');
  outline.setAttribute('aria-hidden', 'true');
  if (source.width && source.height && image.width && image.height) {
    const ratio = source.width / source.height / (image.width / image.height);
    const w = ratio < 1 ? ratio * 100 : 100;
    const h = ratio < 1 ? 100 : 100 / ratio;
    outline.style.setProperty('--ow', `${w}%`);
    outline.style.setProperty('--oh', `${h}%`);
  }
  return outline;
}

function slider(pos: number): HTMLInputElement {
  const range = el('input', 'slider');
  range.type = 'range';
  range.min = '0';
  range.max = '100';
  range.step = '1';
  range.setAttribute('value', String(pos));
  range.value = String(pos);
  range.setAttribute('aria-label', labels.slider);
  range.setAttribute('aria-valuetext', `${pos}%`);
  return range;
}

function resultActions(result: ResultView): HTMLElement {
  const box = keyed(el('div', 'result-actions'), 'actions');
  box.dataset.resultId = result.id;
  const row = el('div', 'actions');
  for (const [action, name] of actionIcons) {
    row.append(iconButton(name, labels[action], action === 'replace' ? 'action primary' : 'action', { action, resultId: result.id }));
  }
  box.append(row);
  if (result.aspectMismatch) box.append(note('aspect', 'warning', labels.aspectMismatch, 'note warning'));
  if (result.alphaRebuilt) box.append(note('alpha', 'info', labels.alphaRebuilt, 'note'));
  if (result.alphaUnaligned) box.append(note('alpha-unaligned', 'warning', labels.alphaUnaligned, 'note warning'));
  if (result.replaced) {
    const note = keyed(el('p', 'replaced-note'), 'replaced');
    note.append(icon('check'), el('span', undefined, labels.replacedNote));
    if (result.canUndo) note.append(iconButton('discard', labels.undo, 'action', { action: 'undo', resultId: result.id }));
    box.append(note);
  }
  if (result.savedAs.length) {
    const list = keyed(el('ul', 'saved-list'), 'saved');
    for (const path of result.savedAs) list.append(el('li', 'saved', format(labels.savedAs, path)));
    box.append(list);
  }
  return box;
}

function note(key: string, iconName: string, text: string, className: string): HTMLElement {
  const p = keyed(el('p', className), key);
  p.append(icon(iconName), el('span', undefined, text));
  return p;
}

function thumbImage(image: ImageView, alt: string): HTMLImageElement {
  return picture(image, alt, 'thumb-img');
}

/** An image that loads lazily, its size known (so reserved) before it arrives. */
function picture(image: ImageView, alt: string, className: string): HTMLImageElement {
  const img = el('img', className);
  img.loading = 'lazy';
  img.decoding = 'async';
  img.alt = alt;
  if (image.width && image.height) {
    img.width = image.width;
    img.height = image.height;
  }
  img.src = images.base + image.src;
  return img;
}

function imageFigure(image: ImageView, caption: string, className: string): HTMLElement {
  const fig = el('figure', className);
  fig.append(picture(image, caption, 'img-result'), el('figcaption', 'caption', [caption, dims(image), formatBytes(image.bytes)].filter(Boolean).join(' · ')));
  return fig;
}

function chosenResult(job: JobView): ResultView | undefined {
  const usable = job.results.filter((r) => r.image && !r.withheld);
  return usable.find((r) => r.id === ui.chosen[job.id]) ?? usable[0];
}
