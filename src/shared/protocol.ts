/**
 * The messages between the extension and the results panel. Both sides import this file and both
 * are type-checked by `npm run build`, so a change to a message shows up as a type error on
 * whichever side falls behind.
 */

import type { JobState } from './jobState';

export interface ImageView {
  /** Relative to the `base` of the `jobs` message (a webview URI), never a path of the user's disk. */
  src: string;
  width?: number;
  height?: number;
  bytes: number;
}

export interface ResultView {
  id: string;
  image?: ImageView;
  /** The safety filter withheld this image. */
  withheld: boolean;
  seed?: number;
  /** Copies saved in the workspace, relative to it, for display only. */
  savedAs: string[];
  /** This result replaced the original; `canUndo` while that can still be undone. */
  replaced: boolean;
  canUndo: boolean;
  /** The original's transparency was put back into an opaque result. */
  alphaRebuilt: boolean;
  /** The original was transparent, but the cropped or padded result could not be lined up with it: it stays opaque. */
  alphaUnaligned: boolean;
  /** The service cropped or padded: the proportions differ from the original's (Replace is refused). */
  aspectMismatch: boolean;
}

export interface JobView {
  id: string;
  fileName: string;
  /** The original's place in the workspace, for display only. */
  relativePath: string;
  state: JobState;
  /** What went wrong and what to do next, for a failed job. */
  failure?: string;
  /** Why the last action on a done job's result (a replace, a save) was refused. */
  actionError?: string;
  /** Stopped by the window closing, not by the service: its badge says so, and its failure what to do. */
  interrupted?: boolean;
  /** Interrupted while the service had its task: Resume polls it, where Run again would send (and bill) it anew. */
  resumable?: boolean;
  requestId?: string;
  params: string;
  /** The run it belongs to: "Replace all" takes the newest run's results. */
  batch?: string;
  startedAt: number;
  endedAt?: number;
  source?: ImageView;
  results: ResultView[];
}

/**
 * What changed in one job since the page last heard of it: the fields that differ, and those that
 * are gone (`unset`). A job the page has not heard of comes whole.
 */
export type JobChange = Partial<JobView> & { id: string; unset?: (keyof JobView)[] };

export type ToPanel =
  /** Every job, oldest first (on load and after a reload); `base` is the webview URI that image sources are relative to. */
  | { type: 'jobs'; jobs: JobView[]; base: string }
  /** The jobs added or changed within a few milliseconds, in one message. */
  | { type: 'changes'; jobs: JobChange[] };

/** What `now` changes of `before` (the same job), or undefined when nothing the page shows differs. */
export function changeBetween(before: JobView, now: JobView): JobChange | undefined {
  const change: JobChange = { id: now.id };
  const fields = change as Record<string, unknown>;
  const unset: (keyof JobView)[] = [];
  for (const key of new Set([...Object.keys(now), ...Object.keys(before)]) as Set<keyof JobView>) {
    if (now[key] === undefined) {
      if (before[key] !== undefined) unset.push(key);
    } else if (JSON.stringify(now[key]) !== JSON.stringify(before[key])) {
      fields[key] = now[key];
    }
  }
  if (unset.length) change.unset = unset;
  return Object.keys(change).length > 1 ? change : undefined;
}

/** A job as the page knows it, with a change applied. */
export function applyChange(known: JobView | undefined, change: JobChange): JobView {
  const { unset, ...fields } = change;
  const job = { ...known, ...fields } as JobView;
  for (const key of unset ?? []) delete (job as Partial<JobView>)[key];
  return job;
}

export const resultActions = ['replace', 'saveNext', 'saveAs', 'open', 'reveal', 'runAgain', 'undo'] as const;
export type ResultAction = (typeof resultActions)[number];

export type FromPanel =
  | { type: 'ready' }
  | { type: 'result'; action: ResultAction; jobId: string; resultId: string }
  | { type: 'cancel'; jobId: string }
  /** Run a failed or cancelled job again with the same parameters. */
  | { type: 'retry'; jobId: string }
  /** Take up an interrupted job by polling its task. */
  | { type: 'resume'; jobId: string }
  /** Copy the summary of a run (the runs to summarize are asked in VS Code). */
  | { type: 'summary' }
  /** Replace each of these originals with the result shown on its card, as one run: one notification, one undo. */
  | { type: 'replaceAll'; picks: { jobId: string; resultId: string }[] };

/** The panel's words in the user's language, written into the page by the extension (vscode.l10n). */
export type Labels = Record<LabelKey, string>;
export type LabelKey =
  | 'empty'
  | 'queued'
  | 'uploading'
  | 'waiting'
  | 'downloading'
  | 'done'
  | 'failed'
  | 'interrupted'
  | 'cancelled'
  | 'original'
  | 'upscaled'
  | 'seed'
  | 'withheld'
  | 'replace'
  | 'replaceAll'
  | 'saveNext'
  | 'saveAs'
  | 'open'
  | 'reveal'
  | 'runAgain'
  | 'resume'
  | 'undo'
  | 'cancel'
  | 'slider'
  | 'sideBySide'
  | 'fit'
  | 'actualSize'
  | 'savedAs'
  | 'replacedNote'
  | 'requestId'
  | 'from'
  | 'alphaRebuilt'
  | 'alphaUnaligned'
  | 'aspectMismatch'
  | 'copySummary';

const id = (v: unknown): v is string => typeof v === 'string' && /^[\w-]{1,64}$/.test(v);

/** Checks a message from the page: it is untrusted input, and names results by id only. */
export function parseFromPanel(raw: unknown): FromPanel | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  if (m.type === 'ready') return { type: 'ready' };
  if (m.type === 'summary') return { type: 'summary' };
  if (m.type === 'cancel' && id(m.jobId)) return { type: 'cancel', jobId: m.jobId };
  if (m.type === 'retry' && id(m.jobId)) return { type: 'retry', jobId: m.jobId };
  if (m.type === 'resume' && id(m.jobId)) return { type: 'resume', jobId: m.jobId };
  if (m.type === 'replaceAll' && Array.isArray(m.picks) && m.picks.length <= 10_000) {
    const picks = m.picks.filter((p): p is { jobId: string; resultId: string } => typeof p === 'object' && p !== null && id(p.jobId) && id(p.resultId));
    return picks.length === m.picks.length ? { type: 'replaceAll', picks: picks.map((p) => ({ jobId: p.jobId, resultId: p.resultId })) } : undefined;
  }
  if (m.type === 'result' && (resultActions as readonly unknown[]).includes(m.action) && id(m.jobId) && id(m.resultId)) {
    return { type: 'result', action: m.action as ResultAction, jobId: m.jobId, resultId: m.resultId };
  }
  return undefined;
}
