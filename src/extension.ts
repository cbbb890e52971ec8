import * as vscode from 'vscode';
import { clientFactory } from './clientFactory';
import { clearApiKeyCommand, setApiKeyCommand, setupCommand } from './commands/apiKey';
import { clearResultsCommand } from './commands/clearResults';
import { ResultActions } from './commands/resultActions';
import { offerResume, resumeRun } from './commands/resumeInterrupted';
import { lastParamsKeyFor, upscaleCommand } from './commands/upscale';
import { upscaleAtCursorCommand } from './commands/upscaleAtCursor';
import { upscaleFolderCommand } from './commands/upscaleFolder';
import { dryRunQuoter } from './commands/dryRunQuotes';
import { summaryCommands } from './commands/summary';
import { InFlightLimit } from './core/batch/inFlight';
import { setTranslator } from './core/i18n';
import { imagePathLanguages } from './core/files/imageReferences';
import { ImageAtCursor } from './editor/imageAtCursor';
import { imageHover } from './editor/imageHover';
import { ImageWork } from './jobs/imageWork';
import { JobRunner } from './jobs/jobRunner';
import { JobStore } from './jobs/jobStore';
import { afterStartupMs, StorageKeeper } from './jobs/storage';
import { UndoStack } from './jobs/undoStack';
import { ResultsPanel } from './panel/resultsPanel';
import { ApiKeyStore } from './secrets';
import { readSettings, watchSettings } from './settings';
import { runningJobsStatus } from './ui/statusBar';

/** What the extension offers other extensions (and its benchmark): figures about itself. */
export interface IdeogramUpscaleApi {
  diagnostics(): { activateMs: number };
  /** Starts counting what is sent to the results panel; the returned figures grow as it goes. */
  countPanelTraffic(): Readonly<{ panelMessages: number; panelBytes: number }>;
}

export function activate(context: vscode.ExtensionContext): IdeogramUpscaleApi {
  const started = performance.now();
  setTranslator(vscode.l10n.t);
  const log = vscode.window.createOutputChannel('Ideogram Upscale', { log: true });
  context.subscriptions.push(watchSettings());
  // Per workspace, so the panel lists this workspace's earlier results.
  const storageDir = (context.storageUri ?? context.globalStorageUri).fsPath;
  const keys = new ApiKeyStore(context.secrets);
  const jobs = new JobStore(storageDir, log);
  const images = new ImageWork(vscode.l10n.bundle);
  const makeClient = clientFactory(log);
  const runner = new JobRunner(jobs, {
    client: makeClient,
    limit: new InFlightLimit(() => readSettings().maxImagesInFlight),
    maxUploadBytes: () => readSettings().maxUploadBytes,
    rebuildTransparency: () => readSettings().rebuildTransparency,
    images,
    log,
  });
  const undo = new UndoStack(context.workspaceState);
  const keeper = new StorageKeeper(jobs, undo, () => readSettings().retention, log);
  const actions: ResultActions = new ResultActions(
    runner,
    undo,
    (source, params) => upscale(source, [source], { params }),
    (interrupted) => resumeRun({ runner, keys, actions }, interrupted),
  );
  const showPanel = () => void ResultsPanel.createOrShow(context.extensionUri, storageDir, jobs, actions);
  const upscale = upscaleCommand({ runner, keys, actions, memento: context.globalState, showPanel });
  const imageAtCursor = new ImageAtCursor();
  const summary = summaryCommands(jobs);

  context.subscriptions.push(
    log,
    jobs,
    runner,
    images,
    keeper,
    runningJobsStatus(jobs),
    vscode.commands.registerCommand('ideogramUpscale.upscale', upscale),
    vscode.commands.registerCommand(
      'ideogramUpscale.upscaleFolder',
      upscaleFolderCommand({ upscale: (uris, options) => upscale(uris[0], uris, options), jobs, lastParams: (service) => context.globalState.get(lastParamsKeyFor(service)), quote: dryRunQuoter(makeClient, keys, log) }),
    ),
    imageAtCursor,
    vscode.commands.registerCommand('ideogramUpscale.upscaleAtCursor', upscaleAtCursorCommand(imageAtCursor, (uri) => upscale(uri, [uri]))),
    vscode.languages.registerHoverProvider(imagePathLanguages.map((language) => ({ language })), imageHover(imageAtCursor)),
    vscode.commands.registerCommand('ideogramUpscale.setup', setupCommand(keys)),
    vscode.commands.registerCommand('ideogramUpscale.setApiKey', setApiKeyCommand(keys)),
    vscode.commands.registerCommand('ideogramUpscale.clearApiKey', clearApiKeyCommand(keys)),
    vscode.commands.registerCommand('ideogramUpscale.undoReplace', () => actions.undoReplace().catch((err: Error) => void vscode.window.showErrorMessage(err.message))),
    vscode.commands.registerCommand('ideogramUpscale.showResults', showPanel),
    vscode.commands.registerCommand('ideogramUpscale.clearResults', clearResultsCommand(keeper)),
    vscode.commands.registerCommand('ideogramUpscale.copySummary', summary.copy),
    vscode.commands.registerCommand('ideogramUpscale.openSummary', summary.open),
    vscode.window.registerWebviewPanelSerializer(ResultsPanel.viewType, {
      async deserializeWebviewPanel(panel) {
        ResultsPanel.revive(panel, context.extensionUri, storageDir, jobs, actions);
      },
    }),
  );
  // Off activation's path: earlier jobs are read once, and an interrupted run is offered to resume.
  setTimeout(() => void offerResume({ runner, keys, actions }).catch((err: Error) => log.warn(`could not read earlier jobs: ${err.message}`)), 0);
  // The storage is pruned later still, when the window has long finished starting.
  keeper.schedule(afterStartupMs);
  const activateMs = performance.now() - started;
  return { diagnostics: () => ({ activateMs }), countPanelTraffic: () => ResultsPanel.countTraffic() };
}
