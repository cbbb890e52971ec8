import * as vscode from 'vscode';
import { ServiceKind } from './core/api/services';

const names: Record<ServiceKind, string> = { gateway: 'API gateway', ideogram: 'Ideogram' };

/** One API key per service, kept only in VS Code's SecretStorage (the OS keychain where there is one). */
export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  private static id(service: ServiceKind): string {
    return `ideogramUpscale.apiKey.${service}`;
  }

  get(service: ServiceKind): Thenable<string | undefined> {
    return this.secrets.get(ApiKeyStore.id(service));
  }

  store(service: ServiceKind, key: string): Thenable<void> {
    return this.secrets.store(ApiKeyStore.id(service), key.trim());
  }

  clear(service: ServiceKind): Thenable<void> {
    return this.secrets.delete(ApiKeyStore.id(service));
  }

  /** The stored key, or one asked of the user (and stored); undefined when they dismiss the box. */
  async getOrAsk(service: ServiceKind): Promise<string | undefined> {
    return (await this.get(service)) ?? (await this.ask(service));
  }

  async ask(service: ServiceKind, step?: { step: number; totalSteps: number }): Promise<string | undefined> {
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('API key for {0}', vscode.l10n.t(names[service])),
      prompt:
        service === 'ideogram'
          ? vscode.l10n.t('Enter your Ideogram API key (from ideogram.ai → API). It is kept in VS Code\'s secret storage, never in settings.')
          : vscode.l10n.t('Enter the API key of your gateway. It is kept in VS Code\'s secret storage, never in settings.'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' ? vscode.l10n.t('The key cannot be empty.') : undefined),
      ...step,
    });
    if (key === undefined || key.trim() === '') {
      return undefined;
    }
    await this.store(service, key);
    return key.trim();
  }
}
