import { convertImage, resampleTo } from './convert';
import { checkResult, withOriginalMetadata } from './resultChecks';

/**
 * The image work that runs in a worker thread (see imageWorker.ts and src/jobs/imageWork.ts):
 * decoding, matching transparency and encoding take from tens of milliseconds to seconds of CPU,
 * which on the extension host's own thread would hold up every other extension, and every other
 * job's requests.
 */
export const imageTasks = { checkResult, convertImage, resampleTo, withOriginalMetadata };

export type ImageTasks = typeof imageTasks;
export type ImageTask = keyof ImageTasks;

export interface ImageRequest {
  id: number;
  task: ImageTask;
  args: unknown[];
}

export type ImageReply = { id: number; value: unknown } | { id: number; error: { name: string; message: string } };
