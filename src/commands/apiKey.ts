import * as vscode from 'vscode';
import { isLoopback, ServiceKind } from '../core/api/services';
import { ApiKeyStore } from '../secrets';
import { readSettings } from '../settings';
import { askApiKey } from '../ui/apiKeyInput';
import { inputBox } from '../ui/inputBox';

/**
 * "Set API Key" for the chosen service: asks with a masked box; a key given as argument
 * (keybindings, tests) is stored as is.
 */
export function setApiKeyCommand(keys: ApiKeyStore) {
  return async (key?: unknown): Promise<boolean> => {
    const service = readSettings().service;
    if (typeof key === 'string' && key.trim() !== '') {
      await keys.store(service, key);
    } else if ((await askApiKey(keys, service)) === undefined) {
      return false;
    }
    void vscode.window.showInformationMessage(vscode.l10n.t('The API key is stored in VS Code\'s secret storage.'));
    return true;
  };
}

export function clearApiKeyCommand(keys: ApiKeyStore) {
  return async (): Promise<void> => {
    await keys.clear(readSettings().service);
    void vscode.window.showInformationMessage(vscode.l10n.t('The API key was removed from this machine.'));
  };
}

/**
 * "Set up Ideogram Upscale": the service, then (for a gateway) its address, then the key. The
 * choice goes to user settings, which a workspace cannot override.
 */
export function setupCommand(keys: ApiKeyStore) {
  return async (): Promise<boolean> => {
    const settings = readSettings();
    const config = vscode.workspace.getConfiguration('ideogramUpscale');
    const items: (vscode.QuickPickItem & { service: ServiceKind })[] = [
      {
        label: vscode.l10n.t('API gateway'),
        description: vscode.l10n.t('a gateway that relays Ideogram, with a Bearer key'),
        detail: `${settings.baseUrl}/ideogram/upscale`,
        service: 'gateway',
      },
      {
        label: vscode.l10n.t('Ideogram'),
        description: vscode.l10n.t('Ideogram\'s own API, with an Api-Key header'),
        detail: `${settings.ideogramBaseUrl}/upscale`,
        service: 'ideogram',
      },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Set up Ideogram Upscale'),
      placeHolder: vscode.l10n.t('Which service upscales your images?'),
      ignoreFocusOut: true,
    });
    if (!picked) return false;
    const service = picked.service;
    const total = service === 'gateway' ? 2 : 1;
    if (service === 'gateway') {
      const baseUrl = await inputBox({
        title: vscode.l10n.t('Address of the API gateway'),
        prompt: vscode.l10n.t('Requests go to this address + /ideogram/upscale. https only (plain http only for this machine).'),
        value: settings.baseUrl,
        step: 1,
        totalSteps: total,
        validate: (value) => {
          try {
            const url = new URL(value.trim());
            return url.protocol === 'https:' || isLoopback(url.hostname) ? undefined : vscode.l10n.t('Use an https address.');
          } catch {
            return vscode.l10n.t('Enter an address such as https://yunwu.ai');
          }
        },
      });
      if (typeof baseUrl !== 'string') return false;
      await config.update('baseUrl', baseUrl.trim().replace(/\/+$/, ''), vscode.ConfigurationTarget.Global);
    }
    await config.update('service', service, vscode.ConfigurationTarget.Global);
    const stored = await keys.get(service);
    if (stored) {
      const keep = vscode.l10n.t('Keep the stored key');
      const replace = vscode.l10n.t('Enter a new key');
      const choice = await vscode.window.showQuickPick([keep, replace], { title: vscode.l10n.t('A key for this service is stored'), ignoreFocusOut: true });
      if (choice === undefined) return false;
      if (choice === keep) return true;
    }
    // The key is a step of its own only when the address came before it.
    const key = await askApiKey(keys, service, total > 1 ? { step: total, totalSteps: total } : undefined);
    if (key === undefined) return false;
    void vscode.window.showInformationMessage(vscode.l10n.t('Ideogram Upscale is set up. Right-click an image and choose "Upscale with Ideogram…".'));
    return true;
  };
}
