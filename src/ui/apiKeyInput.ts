import * as vscode from 'vscode';
import { ServiceKind } from '../core/api/services';
import { ApiKeyStore } from '../secrets';
import { inputBox, StepOf } from './inputBox';

// Looked up when shown, as vscode.l10n must be; each a literal, so the translations' test finds it.
const names: Record<ServiceKind, () => string> = { gateway: () => vscode.l10n.t('API gateway'), ideogram: () => vscode.l10n.t('Ideogram'), ideogramV2: () => vscode.l10n.t('Ideogram') };

/** Asks for the service's key in a masked box and stores it; undefined when the user dismisses the box. */
export async function askApiKey(keys: ApiKeyStore, service: ServiceKind, step?: StepOf): Promise<string | undefined> {
  const key = await inputBox({
    title: vscode.l10n.t('API key for {0}', names[service]()),
    prompt:
      service !== 'gateway'
        ? vscode.l10n.t('Enter your Ideogram API key (from ideogram.ai → API). It is kept in VS Code\'s secret storage, never in settings.')
        : vscode.l10n.t('Enter the API key of your gateway. It is kept in VS Code\'s secret storage, never in settings.'),
    password: true,
    validate: (value) => (value.trim() === '' ? vscode.l10n.t('The key cannot be empty.') : undefined),
    ...step,
  });
  if (typeof key !== 'string' || key.trim() === '') return undefined;
  await keys.store(service, key);
  return key.trim();
}
