import * as vscode from 'vscode';
import { Emulator } from '../emulator/server';
import { RecordingProxy } from '../support/proxy';
import { selfSignedCertificate } from '../support/selfSigned';
import { testKey } from './helpers';

/**
 * Faults between the extension and the service rather than of the service: each one sets up the
 * network it needs (a proxy, another emulator) and returns how to undo that. The emulator of the
 * fault matrix sees no upload in any of them.
 */
export const networkFaults = {
  /** VS Code does not proxy 127.0.0.1, so the address is on 127.0.0.2; the proxy refuses before it would connect. */
  proxyAsksForCredentials: async () => {
    const proxy = new RecordingProxy({ refuse: 407 });
    // Any port fetch does not block: nothing connects to it.
    const port = new URL(vscode.workspace.getConfiguration('ideogramUpscale').get<string>('baseUrl') ?? '').port;
    const undo = await settings({ 'http.proxy': await proxy.start(), 'ideogramUpscale.baseUrl': `http://127.0.0.2:${port}` });
    return async () => {
      await undo();
      await proxy.stop();
    };
  },
  /** A gateway with a certificate of its own making, as on a private network. */
  untrustedCertificate: async () => {
    const secure = new Emulator({ key: testKey });
    const undo = await settings({ 'ideogramUpscale.baseUrl': await secure.start(0, '127.0.0.1', await selfSignedCertificate()) });
    return async () => {
      await undo();
      await secure.stop();
    };
  },
};

export type NetworkFault = keyof typeof networkFaults;

export function isNetworkFault(name: string): name is NetworkFault {
  return Object.hasOwn(networkFaults, name);
}

/** Sets user settings (section.key) and returns how to put back what they were. */
export async function settings(values: Record<string, unknown>): Promise<() => Promise<void>> {
  const before = Object.keys(values).map((key) => [key, vscode.workspace.getConfiguration().inspect(key)?.globalValue] as const);
  for (const [key, value] of Object.entries(values)) await vscode.workspace.getConfiguration().update(key, value, vscode.ConfigurationTarget.Global);
  return async () => {
    for (const [key, value] of before) await vscode.workspace.getConfiguration().update(key, value, vscode.ConfigurationTarget.Global);
  };
}
