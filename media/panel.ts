import type { JobView, ResultAction, ToPanel } from '../src/shared/protocol';
import { applyChange } from '../src/shared/protocol';
import { isEnded } from '../src/shared/jobState';
import { jobCard, replaceAllPicks, toolbarContent } from './cards';
import { el, morph, morphChildren } from './dom';
import { images, jobs, labels, saveState, ui, UiState, ViewMode, vscode, Zoom } from './page';
import { formatElapsed } from './words';

/*
 * The results panel. Every card is built afresh from its JobView and then merged into the card
 * already on the page (`morph`), so an update keeps focus, loaded images and the page's own state,
 * and only the words that really changed reach screen readers through the live region.
 * Clicks and slider moves are handled once, on the document, by their `data-*` attributes.
 */

const toolbar = document.getElementById('toolbar') as HTMLElement;
const app = document.getElementById('app') as HTMLElement;
let ticker: number | undefined;
/** No empty state before the extension has said what there is. */
let loaded = false;

window.addEventListener('message', (event: MessageEvent<ToPanel>) => {
  const message = event.data;
  if (message.type === 'jobs') {
    images.base = message.base;
    loaded = true;
    jobs.clear();
    for (const job of message.jobs) jobs.set(job.id, job);
    forgetGoneJobs();
    render();
  } else if (!loaded) {
    // Before the first `jobs` message nothing is shown; that message carries every job as it is then.
    return;
  } else if (message.type === 'changes') {
    for (const change of message.jobs) {
      const known = jobs.get(change.id);
      const job = applyChange(known, change);
      jobs.set(job.id, job);
      if (known) renderJob(job);
      else addNewest(job);
    }
    // Whether "Replace all" is offered, and for how many, follows the jobs.
    morphChildren(toolbar, toolbarContent());
  }
  keepTicking();
});

function forgetGoneJobs(): void {
  for (const table of [ui.chosen, ui.pos]) {
    for (const id of Object.keys(table)) if (!jobs.has(id)) delete table[id];
  }
  saveState();
}

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

/** A job the page has not seen is the newest: its card goes first, and no other card is built again. */
function addNewest(job: JobView): void {
  app.querySelector(':scope > .empty')?.remove();
  app.prepend(renderJob(job));
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

document.addEventListener('click', (event) => {
  const target = (event.target as Element).closest<HTMLElement>('button');
  if (!target || target.getAttribute('aria-disabled') === 'true') return;
  if (target.dataset.mode) setView({ mode: target.dataset.mode as ViewMode });
  else if (target.dataset.zoom) setView({ zoom: target.dataset.zoom as Zoom });
  else if (target.dataset.action === 'summary') vscode.postMessage({ type: 'summary' });
  else if (target.dataset.bulk === 'replaceAll') vscode.postMessage({ type: 'replaceAll', picks: replaceAllPicks() });
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
  if (action === 'cancel' || action === 'retry' || action === 'resume') {
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
  for (const job of jobs.values()) {
    if (isEnded(job.state) || job.state === 'queued') continue;
    const elapsed = document.getElementById(`job-${job.id}`)?.querySelector('.elapsed');
    const text = formatElapsed(job);
    // Only a clock that moved is written: a card whose text is unchanged is left alone.
    if (elapsed && elapsed.textContent !== text) elapsed.textContent = text;
  }
  keepTicking();
}

/** Starts the clock when a job runs and stops it when none does; a message never redraws the clocks. */
function keepTicking(): void {
  const running = [...jobs.values()].some((job) => !isEnded(job.state));
  if (running && ticker === undefined) ticker = window.setInterval(tick, 1000);
  else if (!running && ticker !== undefined) {
    window.clearInterval(ticker);
    ticker = undefined;
  }
}

render();
vscode.postMessage({ type: 'ready' });
