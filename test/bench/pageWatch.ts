import type { Frame } from 'playwright-core';

/** What the results panel's page did while the batch ran. */
export interface PageWatch {
  /** Changes of a card already shown, and the messages that carried them. */
  updates: number;
  messagesUpdating: number;
  /** Of those messages, how many changed a card they did not name, and the most cards one changed. */
  touchingOthers: number;
  mostOthers: number;
  /** Cards that a message added. */
  added: number;
  /** Changes made by the page's own once-a-second clock, outside any message. */
  clockWrites: number;
  /** Messages seen, by type. */
  byType: Record<string, number>;
}

/**
 * Watches the page's DOM: after the page has handled each message (a listener added after the
 * page's own runs after it, in the same dispatch), the changes it made are taken and the cards they
 * belong to counted. Written as a string: it runs in the page, which this project compiles apart.
 */
const script = `(() => {
  const watch = { updates: 0, messagesUpdating: 0, touchingOthers: 0, mostOthers: 0, added: 0, clockWrites: 0, byType: {} };
  const app = document.getElementById('app');
  const cardOf = (node) => (node.nodeType === 1 ? node : node.parentElement)?.closest('.job')?.dataset.jobId;
  const observer = new MutationObserver((records) => { watch.clockWrites += records.length; });
  observer.observe(app, { subtree: true, childList: true, attributes: true, characterData: true });
  window.addEventListener('message', (event) => {
    const records = observer.takeRecords();
    const m = event.data;
    const type = m && typeof m.type === 'string' ? m.type : 'other';
    watch.byType[type] = (watch.byType[type] || 0) + 1;
    if (!m || m.type !== 'changes') return;
    const own = new Set(m.jobs.map((j) => j.id));
    const added = new Set();
    for (const r of records) {
      if (r.target !== app) continue;
      for (const n of r.addedNodes) if (n.dataset && own.has(n.dataset.jobId)) added.add(n.dataset.jobId);
    }
    watch.added += added.size;
    const others = new Set();
    for (const r of records) { const card = cardOf(r.target); if (card && !own.has(card)) others.add(card); }
    const updates = own.size - added.size;
    if (!updates) return;
    watch.updates += updates;
    watch.messagesUpdating++;
    if (others.size) watch.touchingOthers++;
    watch.mostOthers = Math.max(watch.mostOthers, others.size);
  });
  window.__benchWatch = watch;
})()`;

export async function installPageWatch(frame: Frame): Promise<void> {
  await frame.evaluate(script);
}

export async function readPageWatch(frame: Frame): Promise<PageWatch> {
  return (await frame.evaluate('({ ...window.__benchWatch, byType: { ...window.__benchWatch.byType } })')) as PageWatch;
}
