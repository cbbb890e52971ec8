import * as vscode from 'vscode';
import { UpscaleClient } from './core/api/client';
import { TaskTimings } from './core/api/pollSchedule';
import { readSettings } from './settings';

/**
 * The client goes through the extension host's global `fetch` with no dispatcher of its own:
 * VS Code's patch of it then picks the proxy (`http.proxy`, the system's, its authentication)
 * and the certificates in every `http.proxySupport` mode; a dispatcher would keep "on" mode from
 * using the proxy. The upload's connect deadline lives in the client instead (see Connection).
 */
export function clientFactory(log: vscode.LogOutputChannel): () => UpscaleClient {
  // Outlives each client (one is made per run, with the settings of the moment).
  const timings = new TaskTimings();
  return () => {
    const settings = readSettings();
    return new UpscaleClient({
      // Looked up at each request: VS Code may patch the global after this client was made.
      fetch: (input, init) => globalThis.fetch(input, init),
      requestTimeoutMs: settings.requestTimeoutMs,
      taskTimeoutMs: settings.taskTimeoutMs,
      timings,
      log: (line) => log.info(line),
    });
  };
}
