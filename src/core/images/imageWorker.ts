import { parentPort, workerData } from 'node:worker_threads';
import { setTranslator, translatorFrom } from '../i18n';
import { ImageReply, ImageRequest, imageTasks } from './imageTasks';

/** The worker thread's side of src/jobs/imageWork.ts: one request at a time, in the order sent. */
setTranslator(translatorFrom((workerData as { bundle?: Record<string, string> } | undefined)?.bundle));

parentPort?.on('message', async ({ id, task, args }: ImageRequest) => {
  let reply: ImageReply;
  try {
    const run = imageTasks[task] as (...a: unknown[]) => unknown;
    reply = { id, value: await run(...args) };
  } catch (err) {
    reply = { id, error: { name: (err as Error).name, message: (err as Error).message } };
  }
  parentPort?.postMessage(reply);
});
