import { Emulator } from '../emulator/server';

/** Child process entry of RemoteEmulator (shared.ts): the emulator on 127.0.0.1, driven over IPC. */
async function main(): Promise<void> {
  const emulator = new Emulator(JSON.parse(process.argv[2] ?? '{}'));
  const url = await emulator.start();
  await emulator.warm();
  process.on('message', async (m: { id: number; cmd: string; options?: object }) => {
    if (m.cmd === 'stop') {
      await emulator.stop();
      process.exit(0);
    }
    if (m.cmd === 'reset') {
      emulator.reset(m.options);
      process.send!({ id: m.id, value: undefined });
    } else if (m.cmd === 'stats') {
      const { lastHeaders: _headers, ...stats } = emulator.stats;
      process.send!({ id: m.id, value: stats });
    }
  });
  // Ends with its parent, whatever way the parent ends.
  process.on('disconnect', () => process.exit(0));
  process.send!({ url });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
