import * as vscode from 'vscode';
import { UpscaleClient } from './core/api/client';
import { TaskTimings } from './core/api/pollSchedule';
import { readSettings } from './settings';

/**
 * The client goes through the extension host's global `fetch`, so VS Code's proxy settings and
 * certificates apply. undici (kept out of the bundle) only supplies a dispatcher with a short
 * connect timeout: a gateway that cannot be reached fails fast, before any byte is sent, which is
 * the one network failure that is safe to retry.
 */
export function clientFactory(log: vscode.LogOutputChannel): () => UpscaleClient {
  let dispatcher: object | undefined;
  // Outlives each client (one is made per run, with the settings of the moment).
  const timings = new TaskTimings();
  return () => {
    const settings = readSettings();
    // Only the dispatcher is loaded (not undici's index, which pulls in all of it).
    dispatcher ??= new (require('undici/lib/dispatcher/agent') as typeof import('undici').Agent)({ connect: { timeout: 15_000 } });
    return new UpscaleClient({
      fetch: (input, init) => globalThis.fetch(input, { ...init, dispatcher } as RequestInit),
      requestTimeoutMs: settings.requestTimeoutMs,
      taskTimeoutMs: settings.taskTimeoutMs,
      timings,
      log: (line) => log.info(line),
    });
  };
}
