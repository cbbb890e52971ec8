import * as vscode from 'vscode';
import { addressSetting, isLoopback, ServiceKind } from '../core/api/services';
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
 * "Set up Ideogram Upscale": the service, then its address, then the key. The
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
      {
        label: vscode.l10n.t('Ideogram\'s current upscalers'),
        description: vscode.l10n.t('faithful, detail-adding and creative models, x2 to x8, an exact price before a run; the same Ideogram key'),
        detail: `${settings.ideogramBaseUrl}/v2/image/upscale/{model}`,
        service: 'ideogramV2',
      },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Set up Ideogram Upscale'),
      placeHolder: vscode.l10n.t('Which service upscales your images?'),
      ignoreFocusOut: true,
    });
    if (!picked) return false;
    const service = picked.service;
    // Both addresses can be changed here; each is saved in its own setting, named in the prompt.
    const address = await inputBox({
      title: service === 'gateway' ? vscode.l10n.t('Address of the API gateway') : vscode.l10n.t('Address of Ideogram\'s API'),
      prompt: vscode.l10n.t('Requests go to this address + {0} ("{1}"). https only (plain http only for this machine).', submitPaths[service], addressSetting(service)),
      value: service === 'gateway' ? settings.baseUrl : settings.ideogramBaseUrl,
      step: 1,
      totalSteps: 2,
      validate: (value) => addressProblem(value, addressSetting(service)),
    });
    if (typeof address !== 'string') return false;
    await config.update(service === 'gateway' ? 'baseUrl' : 'ideogramBaseUrl', address.trim().replace(/\/+$/, ''), vscode.ConfigurationTarget.Global);
    await config.update('service', service, vscode.ConfigurationTarget.Global);
    const stored = await keys.get(service);
    if (stored) {
      const keep = vscode.l10n.t('Keep the stored key');
      const replace = vscode.l10n.t('Enter a new key');
      const choice = await vscode.window.showQuickPick([keep, replace], { title: service === 'gateway' ? vscode.l10n.t('A key for this service is stored') : vscode.l10n.t('Your Ideogram key is stored; both Ideogram choices use it'), ignoreFocusOut: true });
      if (choice === undefined) return false;
      if (choice === keep) return true;
    }
    const key = await askApiKey(keys, service, { step: 2, totalSteps: 2 });
    if (key === undefined) return false;
    void vscode.window.showInformationMessage(vscode.l10n.t('Ideogram Upscale is set up. Right-click an image and choose "Upscale with Ideogram…".'));
    return true;
  };
}

const submitPaths: Record<ServiceKind, string> = { gateway: '/ideogram/upscale', ideogram: '/upscale', ideogramV2: '/v2/image/upscale/{model}' };

/** Why an address typed in the setup would be refused at the first upscale, naming its setting. */
function addressProblem(value: string, setting: string): string | undefined {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname)) ? undefined : vscode.l10n.t('Use an https address for "{0}".', setting);
  } catch {
    return vscode.l10n.t('Enter an address such as {0} for "{1}".', setting.endsWith('ideogramBaseUrl') ? 'https://api.ideogram.ai' : 'https://yunwu.ai', setting);
  }
}
