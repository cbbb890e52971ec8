/**
 * Where a job is in its life. Shared by the job model, the panel and the page, so that each side
 * reads the same words for the same state.
 */
export type JobState = 'queued' | 'uploading' | 'waiting' | 'downloading' | 'done' | 'failed' | 'cancelled';

export function isEnded(state: JobState): boolean {
  return state === 'done' || state === 'failed' || state === 'cancelled';
}
