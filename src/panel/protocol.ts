/**
 * The messages between the extension and the results panel. Both sides import this file, so a
 * change to a message shows up as a type error on whichever side falls behind.
 */

export type JobState = 'queued' | 'uploading' | 'waiting' | 'downloading' | 'done' | 'failed' | 'cancelled';

export interface ImageView {
  /** A webview URI (`asWebviewUri`), never a path of the user's disk. */
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
  /** Where it was saved, relative to the workspace, for display only. */
  savedAs?: string;
}

export interface JobView {
  id: string;
  fileName: string;
  state: JobState;
  /** What went wrong and what to do next, for a failed job. */
  error?: string;
  params: string;
  startedAt: number;
  endedAt?: number;
  source?: ImageView;
  results: ResultView[];
}

export type ToPanel =
  | { type: 'jobs'; jobs: JobView[] }
  | { type: 'job'; job: JobView };

export type ResultAction = 'open' | 'reveal';

export type FromPanel =
  | { type: 'ready' }
  | { type: 'action'; action: ResultAction; jobId: string; resultId: string };

/** Checks a message from the page: it is untrusted input. */
export function parseFromPanel(raw: unknown): FromPanel | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  if (m.type === 'ready') return { type: 'ready' };
  if (
    m.type === 'action' &&
    (m.action === 'open' || m.action === 'reveal') &&
    typeof m.jobId === 'string' &&
    typeof m.resultId === 'string' &&
    /^[\w-]{1,64}$/.test(m.jobId) &&
    /^[\w-]{1,64}$/.test(m.resultId)
  ) {
    return { type: 'action', action: m.action, jobId: m.jobId, resultId: m.resultId };
  }
  return undefined;
}
