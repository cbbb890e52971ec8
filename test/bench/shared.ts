import { ChildProcess, fork } from 'node:child_process';
import { join, resolve } from 'node:path';
import { ClientOptions, UpscaleClient } from '../../src/core/api/client';
import { UpscaleParams } from '../../src/core/api/params';
import type { EmulatorOptions, EmulatorStats } from '../emulator/server';

export const repoRoot = resolve(__dirname, '..', '..', '..');
export const benchOut = join(repoRoot, 'bench-output');
export const fixturesDir = join(repoRoot, 'test', 'fixtures', 'workspace', 'assets');
export const benchKey = 'sk-bench-0123456789abcdef';
/** What the settings' defaults send. */
export const defaultParams: UpscaleParams = { resemblance: 50, detail: 50, magicPrompt: 'AUTO', numImages: 1 };
export const taskQueryPath = '/ideogram/upscale/{task_id}';

/** The fetch the extension gives its client (src/clientFactory.ts): the global one, no dispatcher. */
export function extensionFetch(): typeof fetch {
  return (input, init) => globalThis.fetch(input, init);
}

/** A client configured as the extension's (its default timeouts), with `options` on top. */
export function benchClient(options: Partial<ClientOptions> = {}): UpscaleClient {
  return new UpscaleClient({ fetch: extensionFetch(), requestTimeoutMs: 120_000, taskTimeoutMs: 600_000, ...options });
}

type Command = { cmd: 'reset'; options: Partial<EmulatorOptions> } | { cmd: 'stats' } | { cmd: 'stop' };

/**
 * The emulator in a process of its own, so that its parsing, encoding and memory do not share the
 * client's thread or count in the client's figures. See emulatorProcess.ts.
 */
export class RemoteEmulator {
  private nextId = 1;
  private readonly pending = new Map<number, (value: unknown) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('message', (m: { id: number; value: unknown }) => {
      this.pending.get(m.id)?.(m.value);
      this.pending.delete(m.id);
    });
  }

  static async start(options: Partial<EmulatorOptions>): Promise<RemoteEmulator> {
    const child = fork(join(__dirname, 'emulatorProcess.js'), [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const url = await new Promise<string>((resolvePromise, reject) => {
      child.once('message', (m: { url: string }) => resolvePromise(m.url));
      child.once('exit', (code) => reject(new Error(`the emulator process exited (${code}) before listening`)));
    });
    return new RemoteEmulator(child, url);
  }

  reset(options: Partial<EmulatorOptions>): Promise<void> {
    return this.call({ cmd: 'reset', options }) as Promise<void>;
  }

  /** The emulator's counters (without the last upload's headers). */
  stats(): Promise<Omit<EmulatorStats, 'lastHeaders'>> {
    return this.call({ cmd: 'stats' }) as Promise<Omit<EmulatorStats, 'lastHeaders'>>;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ id: 0, cmd: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  private call(request: Command): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolvePromise) => {
      this.pending.set(id, resolvePromise);
      this.child.send({ ...request, id });
    });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
