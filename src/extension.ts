import * as vscode from 'vscode';
import { clearApiKeyCommand, setApiKeyCommand } from './commands/apiKey';
import { upscaleCommand } from './commands/upscale';
import { clientFactory } from './http';
import { JobRunner } from './jobs/upscaleJob';
import { ResultsPanel } from './panel/resultsPanel';
import { ApiKeyStore } from './secrets';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Ideogram Upscale', { log: true });
  const storageDir = (context.storageUri ?? context.globalStorageUri).fsPath;
  const keys = new ApiKeyStore(context.secrets);
  const runner = new JobRunner({ client: clientFactory(log), storageDir, log });
  const showPanel = () => void ResultsPanel.createOrShow(context.extensionUri, runner, storageDir);

  context.subscriptions.push(
    log,
    runner,
    vscode.commands.registerCommand('ideogramUpscale.upscale', upscaleCommand({ runner, keys, showPanel })),
    vscode.commands.registerCommand('ideogramUpscale.setApiKey', setApiKeyCommand(keys)),
    vscode.commands.registerCommand('ideogramUpscale.clearApiKey', clearApiKeyCommand(keys)),
  );
}

export function deactivate(): void {}
