import * as vscode from 'vscode';
import { ApiKeyStore } from '../secrets';

/** "Set API Key": asks with a masked box; a key given as argument (keybindings, tests) is stored as is. */
export function setApiKeyCommand(keys: ApiKeyStore) {
  return async (key?: unknown): Promise<boolean> => {
    if (typeof key === 'string' && key.trim() !== '') {
      await keys.store(key);
    } else if ((await keys.ask()) === undefined) {
      return false;
    }
    void vscode.window.showInformationMessage(vscode.l10n.t('The Ideogram API key is stored in VS Code\'s secret storage.'));
    return true;
  };
}

export function clearApiKeyCommand(keys: ApiKeyStore) {
  return async (): Promise<void> => {
    await keys.clear();
    void vscode.window.showInformationMessage(vscode.l10n.t('The Ideogram API key was removed from this machine.'));
  };
}
