import * as vscode from 'vscode';
import { ServiceKind } from './core/api/services';

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
}
