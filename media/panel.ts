import type { FromPanel, ImageView, JobState, JobView, ResultView, ToPanel } from '../src/panel/protocol';

declare function acquireVsCodeApi(): { postMessage(message: FromPanel): void; getState(): unknown; setState(state: unknown): void };

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;
const jobs = new Map<string, JobView>();

const stateLabel: Record<JobState, string> = {
  queued: 'Queued',
  uploading: 'Uploading',
  waiting: 'Waiting for the service',
  downloading: 'Downloading',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

window.addEventListener('message', (event: MessageEvent<ToPanel>) => {
  const message = event.data;
  if (message.type === 'jobs') {
    jobs.clear();
    for (const job of message.jobs) jobs.set(job.id, job);
    render();
  } else if (message.type === 'job') {
    jobs.set(message.job.id, message.job);
    renderJob(message.job);
  }
});

function render(): void {
  app.replaceChildren();
  if (jobs.size === 0) {
    app.append(el('p', 'empty', 'Right-click an image in the explorer and choose "Upscale with Ideogram…".'));
    return;
  }
  for (const job of [...jobs.values()].reverse()) renderJob(job);
}

/** Replaces one job's card, or puts a new one first. */
function renderJob(job: JobView): void {
  app.querySelector('.empty')?.remove();
  const card = jobCard(job);
  const old = document.getElementById(`job-${job.id}`);
  if (old) old.replaceWith(card);
  else app.prepend(card);
}

function jobCard(job: JobView): HTMLElement {
  const card = el('section', `job state-${job.state}`);
  card.id = `job-${job.id}`;
  card.setAttribute('aria-label', job.fileName);
  const head = el('header', 'job-head');
  head.append(el('h2', 'file', job.fileName), el('span', `badge ${job.state}`, stateLabel[job.state]), el('span', 'elapsed', elapsed(job)));
  card.append(head, el('p', 'params', job.params));
  if (job.error) {
    const error = el('p', 'error', job.error);
    error.setAttribute('role', 'alert');
    card.append(error);
  }
  if (job.source || job.results.length > 0) {
    const row = el('div', 'images');
    if (job.source) row.append(figure('Original', job.source));
    for (const result of job.results) row.append(resultFigure(job, result));
    card.append(row);
  }
  return card;
}

function resultFigure(job: JobView, result: ResultView): HTMLElement {
  if (result.withheld || !result.image) {
    const box = el('figure', 'withheld');
    box.append(el('div', 'withheld-mark', 'Withheld by the service as unsafe'));
    return box;
  }
  const fig = figure(result.seed !== undefined ? `Upscaled · seed ${result.seed}` : 'Upscaled', result.image);
  if (result.savedAs) fig.append(el('p', 'saved', `Saved as ${result.savedAs}`));
  const actions = el('div', 'actions');
  actions.append(button('Open', () => act('open', job, result)), button('Reveal in Explorer', () => act('reveal', job, result)));
  fig.append(actions);
  return fig;
}

function figure(caption: string, image: ImageView): HTMLElement {
  const fig = el('figure', 'image');
  const img = document.createElement('img');
  img.src = image.src;
  img.alt = caption;
  img.loading = 'lazy';
  img.decoding = 'async';
  const dims = image.width && image.height ? `${image.width} × ${image.height}` : '';
  fig.append(img, el('figcaption', undefined, [caption, dims, formatBytes(image.bytes)].filter(Boolean).join(' · ')));
  return fig;
}

function act(action: 'open' | 'reveal', job: JobView, result: ResultView): void {
  vscode.postMessage({ type: 'action', action, jobId: job.id, resultId: result.id });
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function elapsed(job: JobView): string {
  const ms = (job.endedAt ?? Date.now()) - job.startedAt;
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

vscode.postMessage({ type: 'ready' });
