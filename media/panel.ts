import type { FromPanel, ImageView, JobState, JobView, Labels, ResultAction, ResultView, ToPanel } from '../src/panel/protocol';

/*
 * The results panel. Every card is built afresh from its JobView and then merged into the card
 * already on the page (`morph`), so an update keeps focus, loaded images and the page's own state,
 * and only the words that really changed reach screen readers through the live region.
 * Clicks and slider moves are handled once, on the document, by their `data-*` attributes.
 */

declare function acquireVsCodeApi(): { postMessage(message: FromPanel): void; getState(): unknown; setState(state: unknown): void };

type ViewMode = 'slider' | 'sideBySide';
type Zoom = 'fit' | 'actualSize';

/** What the page remembers across hiding and reloads. */
interface UiState {
  mode: ViewMode;
  zoom: Zoom;
  /** Job id → the result shown in the comparison. */
  chosen: Record<string, string>;
  /** Job id → divider position, 0–100. */
  pos: Record<string, number>;
}

const vscode = acquireVsCodeApi();
const toolbar = document.getElementById('toolbar') as HTMLElement;
const app = document.getElementById('app') as HTMLElement;
const jobs = new Map<string, JobView>();
const ui = loadState();
const lang = document.documentElement.lang || undefined;
let ticker: number | undefined;
/** No empty state before the extension has said what there is. */
let loaded = false;

/** English words until the extension's arrive. */
let labels: Labels = {
  empty: 'Right-click an image in the explorer and choose "Upscale with Ideogram…". Results appear here.',
  queued: 'Queued',
  uploading: 'Uploading',
  waiting: 'Waiting for the service',
  downloading: 'Downloading',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  original: 'Original',
  upscaled: 'Upscaled',
  seed: 'Seed {0}',
  withheld: 'Withheld by the service as unsafe',
  replace: 'Replace original',
  saveNext: 'Save next to original',
  saveAs: 'Save as…',
  open: 'Open',
  reveal: 'Reveal in Explorer',
  runAgain: 'Run again',
  undo: 'Undo replace',
  cancel: 'Cancel',
  slider: 'Slider',
  sideBySide: 'Side by side',
  fit: 'Fit',
  actualSize: '100%',
  savedAs: 'Saved as {0}',
  replacedNote: 'This result replaced the original.',
  requestId: 'Request id {0}',
  from: 'from {0} to {1} ({2}×)',
  alphaRebuilt: "The service returned an opaque image; the original's transparency was put back.",
  aspectMismatch: "The service cropped or padded this image: its proportions differ from the original's (dashed outline). Replace is refused; save it next to the original instead.",
};

const stateIcon: Record<JobState, string> = {
  queued: 'loading codicon-modifier-spin',
  uploading: 'loading codicon-modifier-spin',
  waiting: 'loading codicon-modifier-spin',
  downloading: 'loading codicon-modifier-spin',
  done: 'check',
  failed: 'error',
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

// ---------------------------------------------------------------------------------------------
// Messages and state

/** The webview URI that image sources are relative to (sent with the `jobs` message). */
let base = '';

window.addEventListener('message', (event: MessageEvent<ToPanel>) => {
  const message = event.data;
  if (message.type === 'jobs') {
    if (message.labels) labels = { ...labels, ...message.labels };
    base = message.base;
    loaded = true;
    jobs.clear();
    for (const job of message.jobs) jobs.set(job.id, job);
    forgetGoneJobs();
    render();
  } else if (!loaded) {
    // Before the first `jobs` message nothing is shown; that message carries every job as it is then.
    return;
  } else if (message.type === 'job') {
    const isNew = !jobs.has(message.job.id);
    jobs.set(message.job.id, message.job);
    if (isNew) render();
    else renderJob(message.job);
  } else if (message.type === 'state') {
    const job = jobs.get(message.jobId);
    if (job) {
      job.state = message.state;
      renderJob(job);
    }
  }
  tick();
});

function loadState(): UiState {
  const saved = (vscode.getState() ?? {}) as Partial<UiState>;
  return {
    mode: saved.mode === 'sideBySide' ? 'sideBySide' : 'slider',
    zoom: saved.zoom === 'actualSize' ? 'actualSize' : 'fit',
    chosen: { ...saved.chosen },
    pos: { ...saved.pos },
  };
}

function saveState(): void {
  vscode.setState(ui);
}

function forgetGoneJobs(): void {
  for (const table of [ui.chosen, ui.pos]) {
    for (const id of Object.keys(table)) if (!jobs.has(id)) delete table[id];
  }
  saveState();
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** The toolbar and every card, newest first. */
function render(): void {
  applyViewOptions();
  morphChildren(toolbar, toolbarContent());
  if (jobs.size === 0) {
    app.replaceChildren(...(loaded ? [el('p', 'empty', labels.empty)] : []));
    return;
  }
  app.querySelector(':scope > .empty')?.remove();
  const ids = new Set([...jobs.keys()].map((id) => `job-${id}`));
  for (const card of [...app.children]) if (!ids.has(card.id)) card.remove();
  [...jobs.values()].reverse().forEach((job, index) => {
    const card = renderJob(job);
    if (app.children[index] !== card) app.insertBefore(card, app.children[index] ?? null);
  });
}

/** Builds one job's card and merges it into the one on the page; returns the card on the page. */
function renderJob(job: JobView): HTMLElement {
  const fresh = jobCard(job);
  const current = document.getElementById(fresh.id);
  if (!current) return fresh;
  morph(current, fresh);
  return current;
}

function applyViewOptions(): void {
  document.body.dataset.mode = ui.mode;
  document.body.dataset.zoom = ui.zoom;
}

function toolbarContent(): HTMLElement {
  const bar = el('div');
  bar.append(
    segmented('mode', [
      ['slider', labels.slider],
      ['sideBySide', labels.sideBySide],
    ], ui.mode),
    segmented('zoom', [
      ['fit', labels.fit],
      ['actualSize', labels.actualSize],
    ], ui.zoom),
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

function jobCard(job: JobView): HTMLElement {
  const card = el('section', `job state-${job.state}`);
  card.id = `job-${job.id}`;
  card.dataset.jobId = job.id;
  card.setAttribute('aria-label', job.fileName);
  card.append(jobHeader(job), keyed(el('p', 'params', job.params), 'params'));
  // A done job carries an error too when what was asked of its result was refused (a replace of a changed file).
  if (job.error) card.append(errorBox(job));
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
  const badge = el('span', `badge badge-${job.state}`);
  badge.append(icon(stateIcon[job.state]), el('span', 'badge-text', labels[job.state]));
  const elapsed = el('span', 'elapsed', formatElapsed(job));
  elapsed.setAttribute('role', 'timer');
  head.append(title, badge, elapsed);
  if (!isEnded(job)) head.append(iconButton('close', labels.cancel, 'cancel', { action: 'cancel' }));
  return head;
}

function errorBox(job: JobView): HTMLElement {
  const box = keyed(el('div', 'alert'), 'alert');
  box.setAttribute('role', 'alert');
  const message = el('p', 'alert-message');
  message.append(icon('error'), el('span', undefined, job.error));
  box.append(message);
  // The message names the id when the failure came with one; otherwise (a failed download after an
  // accepted upload) the upload's id is shown here.
  if (job.requestId && !job.error?.includes(job.requestId)) box.append(el('p', 'request-id', format(labels.requestId, job.requestId)));
  if (job.state === 'failed' || job.state === 'cancelled') box.append(iconButton('refresh', labels.runAgain, 'action', { action: 'retry' }));
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

// ---------------------------------------------------------------------------------------------
// Small builders

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Names an element for `morph`, so it is matched with its counterpart even when siblings come and go. */
function keyed<T extends HTMLElement>(node: T, key: string): T {
  node.dataset.key = key;
  return node;
}

function icon(name: string): HTMLElement {
  const i = el('span', `codicon codicon-${name}`);
  i.setAttribute('aria-hidden', 'true');
  return i;
}

function button(label: string | undefined, className: string): HTMLButtonElement {
  const b = el('button', className, label);
  b.type = 'button';
  return b;
}

function iconButton(name: string, label: string, className: string, data: Record<string, string>): HTMLButtonElement {
  const b = button(undefined, className);
  Object.assign(b.dataset, data);
  b.dataset.key = data.action;
  b.append(icon(name), el('span', 'label', label));
  return b;
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
  img.src = base + image.src;
  return img;
}

function imageFigure(image: ImageView, caption: string, className: string): HTMLElement {
  const fig = el('figure', className);
  fig.append(picture(image, caption, 'img-result'), el('figcaption', 'caption', [caption, dims(image), formatBytes(image.bytes)].filter(Boolean).join(' · ')));
  return fig;
}

// ---------------------------------------------------------------------------------------------
// Updating the page in place

/** Makes `current` look like `next`, keeping every node that can stay (and so focus and loaded images). */
function morph(current: Element, next: Element): void {
  for (const { name } of [...current.attributes]) {
    if (name !== 'style' && !next.hasAttribute(name)) current.removeAttribute(name);
  }
  for (const { name, value } of [...next.attributes]) {
    if (name !== 'style' && current.getAttribute(name) !== value) current.setAttribute(name, value);
  }
  if (current instanceof HTMLElement && next instanceof HTMLElement) morphStyle(current.style, next.style);
  if (current instanceof HTMLInputElement && next instanceof HTMLInputElement && current.value !== next.value) current.value = next.value;
  morphChildren(current, next);
}

/** Style goes through CSSOM only: the page's policy forbids writing style attributes. */
function morphStyle(current: CSSStyleDeclaration, next: CSSStyleDeclaration): void {
  for (const name of [...current]) if (!next.getPropertyValue(name)) current.removeProperty(name);
  for (const name of [...next]) {
    const value = next.getPropertyValue(name);
    if (current.getPropertyValue(name) !== value) current.setProperty(name, value);
  }
}

function morphChildren(current: Element, next: Element): void {
  const pool = [...current.childNodes];
  const pairs = [...next.childNodes].map((node) => {
    const index = pool.findIndex((old) => nodeKey(old) === nodeKey(node));
    return { node, old: index < 0 ? undefined : pool.splice(index, 1)[0] };
  });
  for (const old of pool) old.remove();
  pairs.forEach(({ node, old }, index) => {
    if (old instanceof Element && node instanceof Element) morph(old, node);
    else if (old && old.nodeValue !== node.nodeValue) old.nodeValue = node.nodeValue;
    const placed = old ?? node;
    if (current.childNodes[index] !== placed) current.insertBefore(placed, current.childNodes[index] ?? null);
  });
}

function nodeKey(node: Node): string {
  return node instanceof HTMLElement ? `${node.tagName}:${node.dataset.key ?? ''}` : node.nodeName;
}

// ---------------------------------------------------------------------------------------------
// Interaction

document.addEventListener('click', (event) => {
  const target = (event.target as Element).closest<HTMLElement>('button');
  if (!target || target.getAttribute('aria-disabled') === 'true') return;
  if (target.dataset.mode) setView({ mode: target.dataset.mode as ViewMode });
  else if (target.dataset.zoom) setView({ zoom: target.dataset.zoom as Zoom });
  else onCardButton(target);
});

function setView(change: Partial<Pick<UiState, 'mode' | 'zoom'>>): void {
  Object.assign(ui, change);
  saveState();
  applyViewOptions();
  morphChildren(toolbar, toolbarContent());
}

function onCardButton(target: HTMLElement): void {
  const jobId = target.closest<HTMLElement>('.job')?.dataset.jobId;
  const { action, resultId } = target.dataset;
  if (!jobId || !action) return;
  if (action === 'cancel' || action === 'retry') {
    vscode.postMessage({ type: action, jobId });
  } else if (action === 'choose' && resultId) {
    ui.chosen[jobId] = resultId;
    saveState();
    const job = jobs.get(jobId);
    if (job) renderJob(job);
  } else if (resultId) {
    vscode.postMessage({ type: 'result', action: action as ResultAction, jobId, resultId });
  }
}

document.addEventListener('input', (event) => {
  const range = event.target as HTMLElement;
  if (range instanceof HTMLInputElement && range.classList.contains('slider')) moveDivider(range, Number(range.value));
});

/** Dragging on the images moves the divider too (the range input is the keyboard's way). */
document.addEventListener('pointerdown', (event) => {
  const frame = (event.target as Element).closest<HTMLElement>('.frame');
  if (!frame || ui.mode !== 'slider' || event.button !== 0) return;
  const range = frame.closest('.compare')?.querySelector<HTMLInputElement>('.slider');
  if (!range) return;
  event.preventDefault();
  frame.setPointerCapture(event.pointerId);
  const follow = (e: PointerEvent) => {
    const box = frame.getBoundingClientRect();
    moveDivider(range, Math.round(Math.min(1, Math.max(0, (e.clientX - box.left) / box.width)) * 100));
  };
  follow(event);
  frame.addEventListener('pointermove', follow);
  frame.addEventListener('lostpointercapture', () => frame.removeEventListener('pointermove', follow), { once: true });
});

function moveDivider(range: HTMLInputElement, pos: number): void {
  const card = range.closest<HTMLElement>('.job');
  const jobId = card?.dataset.jobId;
  if (!card || !jobId) return;
  range.value = String(pos);
  range.setAttribute('value', String(pos));
  range.setAttribute('aria-valuetext', `${pos}%`);
  card.querySelector<HTMLElement>('.frame')?.style.setProperty('--pos', `${pos}%`);
  ui.pos[jobId] = pos;
  saveState();
}

/** Keeps the elapsed time of running jobs current, once a second, only while one runs. */
function tick(): void {
  const running = [...jobs.values()].filter((job) => !isEnded(job));
  for (const job of running) {
    const elapsed = document.getElementById(`job-${job.id}`)?.querySelector('.elapsed');
    if (elapsed) elapsed.textContent = formatElapsed(job);
  }
  if (running.length && ticker === undefined) ticker = window.setInterval(tick, 1000);
  else if (!running.length && ticker !== undefined) {
    window.clearInterval(ticker);
    ticker = undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Words and numbers

function chosenResult(job: JobView): ResultView | undefined {
  const usable = job.results.filter((r) => r.image && !r.withheld);
  return usable.find((r) => r.id === ui.chosen[job.id]) ?? usable[0];
}

function isEnded(job: JobView): boolean {
  return job.state === 'done' || job.state === 'failed' || job.state === 'cancelled';
}

/** Fills `{0}`, `{1}`… in a label. */
function format(template: string, ...args: string[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, i: string) => args[Number(i)] ?? whole);
}

function dims(image: ImageView): string {
  return image.width && image.height ? `${image.width}×${image.height}` : '';
}

function fromLine(source: ImageView, result: ImageView): string {
  if (!source.width || !result.width || !source.height || !result.height) return '';
  const factor = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(result.width / source.width);
  return format(labels.from, dims(source), dims(result), factor);
}

/** `0:07`, `2:05`, `1:02:05`: no words to translate. */
function formatElapsed(job: JobView): string {
  const total = Math.max(0, Math.floor(((job.endedAt ?? Date.now()) - job.startedAt) / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

function formatBytes(bytes: number): string {
  const [value, unit] = bytes < 1024 ? [bytes, 'byte'] : bytes < 1024 * 1024 ? [bytes / 1024, 'kilobyte'] : [bytes / 1024 / 1024, 'megabyte'];
  // The short form of a plain byte count is "324 byte" in English; the long one says "324 bytes".
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: unit === 'byte' ? 'long' : 'short', maximumFractionDigits: 1 }).format(value);
}

render();
vscode.postMessage({ type: 'ready' });
