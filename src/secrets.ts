import * as vscode from 'vscode';

/** The API key, kept only in VS Code's SecretStorage (the OS keychain where there is one). */
export class ApiKeyStore {
  private static readonly id = 'ideogramUpscale.apiKey.gateway';

  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(): Thenable<string | undefined> {
    return this.secrets.get(ApiKeyStore.id);
  }

  store(key: string): Thenable<void> {
    return this.secrets.store(ApiKeyStore.id, key.trim());
  }

  clear(): Thenable<void> {
    return this.secrets.delete(ApiKeyStore.id);
  }

  /** The stored key, or one asked of the user (and stored); undefined when they dismiss the box. */
  async getOrAsk(): Promise<string | undefined> {
    return (await this.get()) ?? (await this.ask());
  }

  async ask(): Promise<string | undefined> {
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('Ideogram Upscale: API key'),
      prompt: vscode.l10n.t('Enter the API key of your Ideogram gateway. It is kept in VS Code\'s secret storage, never in settings.'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' ? vscode.l10n.t('The key cannot be empty.') : undefined),
    });
    if (key === undefined || key.trim() === '') {
      return undefined;
    }
    await this.store(key);
    return key.trim();
  }
}
