import { join } from 'node:path';
import { Emulator } from '../emulator/server';
import { repoRoot, startWorkbench } from './workbench';

/**
 * `npm run try`: a real VS Code in your browser with the extension loaded from this folder, a
 * sample workspace, and the API emulator standing in for the service. The emulator takes any key,
 * so none of yours is needed or sent anywhere.
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8080);
  const emulator = new Emulator({ shape: 'task', taskMs: 2500 });
  const api = await emulator.start();
  const workbench = await startWorkbench({
    workspaceTemplate: join(repoRoot, 'test', 'fixtures', 'workspace'),
    settings: { 'ideogramUpscale.baseUrl': api },
    port,
  });
  console.log(`API emulator: ${api} (accepts any key)`);
  console.log(`\nOpen this address in your browser (Ctrl+C here stops everything):\n\n  ${workbench.url()}\n`);
  console.log('Then right-click an image under assets/ and choose "Upscale with Ideogram…".');
  console.log('When asked for an API key, type anything: the emulator accepts any key.');
  const stop = async () => {
    await workbench.stop();
    await emulator.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
