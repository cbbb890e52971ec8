import { parseArgs } from 'node:util';
import { Emulator } from './server';

/** `npm run emulator -- [--port 8787] [--shape sync|wrapped|task] [--key K] [--task-ms N] [--task-path /tasks/{task_id}]` */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      shape: { type: 'string', default: 'sync' },
      key: { type: 'string' },
      'task-ms': { type: 'string', default: '3000' },
      'task-path': { type: 'string' },
    },
  });
  const shape = values.shape as 'sync' | 'wrapped' | 'task';
  if (!['sync', 'wrapped', 'task'].includes(shape)) {
    throw new Error('--shape must be sync, wrapped or task');
  }
  const taskPath = values['task-path'];
  if (taskPath !== undefined && !taskPath.includes('{task_id}')) {
    throw new Error('--task-path must hold {task_id}');
  }
  const emulator = new Emulator({ shape, key: values.key, taskMs: Number(values['task-ms']), taskPath });
  const url = await emulator.start(Number(values.port));
  console.log(`Upscale API emulator listening on ${url}`);
  console.log(`  gateway:  POST ${url}/ideogram/upscale  (Authorization: Bearer ${values.key ?? '<any key>'})`);
  console.log(`  official: POST ${url}/upscale  (Api-Key: ${values.key ?? '<any key>'})`);
  if (shape === 'task') console.log(`  tasks:    GET ${url}${taskPath ?? '/ideogram/upscale/{task_id}'}  (set ideogramUpscale.taskQueryPath to match)`);
  const stop = () => void emulator.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
