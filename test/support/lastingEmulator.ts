import { spawn } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Emulator, EmulatorOptions, EmulatorStats } from '../emulator/server';

/**
 * An emulator in a process of its own that outlives the window reload between the suite's two
 * phases (the extension host, and every emulator inside it, ends with the reload). It listens on
 * 127.0.0.1, writes its address and then its counters beside `infoFile`, and stops when asked
 * through a file, or after five minutes whatever happens.
 */
const lifetimeMs = 5 * 60_000;

/** Where the suite's lasting emulator says its address, in the test output folder. */
export const lastingEmulatorInfo = (outDir: string) => join(outDir, 'lasting-emulator.json');

export async function startLastingEmulator(options: Partial<EmulatorOptions>, infoFile: string): Promise<string> {
  const child = spawn(process.execPath, [__filename, JSON.stringify(options), infoFile], {
    detached: true,
    stdio: 'ignore',
    // Under @vscode/test-electron the extension host's executable is Electron's.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  child.unref();
  const until = Date.now() + 15_000;
  while (!existsSync(infoFile)) {
    if (Date.now() > until) throw new Error('the lasting emulator did not start within 15 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return (JSON.parse(readFileSync(infoFile, 'utf8')) as { url: string }).url;
}

export function lastingEmulatorStats(infoFile: string): Omit<EmulatorStats, 'lastHeaders'> & { v2: Emulator['v2']['stats'] } {
  return JSON.parse(readFileSync(`${infoFile}.stats`, 'utf8'));
}

export function stopLastingEmulator(infoFile: string): void {
  writeFileSync(`${infoFile}.stop`, '');
}

async function main(): Promise<void> {
  const [options, infoFile] = process.argv.slice(2);
  const emulator = new Emulator(JSON.parse(options));
  const url = await emulator.start();
  const stopAt = Date.now() + lifetimeMs;
  const timer = setInterval(() => {
    const { lastHeaders: _headers, ...stats } = emulator.stats;
    writeFileSync(`${infoFile}.stats.tmp`, JSON.stringify({ ...stats, v2: emulator.v2.stats }));
    renameSync(`${infoFile}.stats.tmp`, `${infoFile}.stats`);
    if (existsSync(`${infoFile}.stop`) || Date.now() > stopAt) {
      clearInterval(timer);
      void emulator.stop().then(() => process.exit(0));
    }
  }, 200);
  writeFileSync(infoFile, JSON.stringify({ url, pid: process.pid }));
}

if (require.main === module) {
  main().catch(() => process.exit(1));
}
