import * as vscode from 'vscode';
import { ServiceKind } from './core/api/services';

/**
 * One API key per service, kept only in VS Code's SecretStorage (the OS keychain where there is
 * one). Ideogram's v1 and v2 endpoints take the same key: it is kept once, under `ideogram`.
 */
export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  private static id(service: ServiceKind): string {
    return `ideogramUpscale.apiKey.${service === 'ideogramV2' ? 'ideogram' : service}`;
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
