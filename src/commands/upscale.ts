import * as vscode from 'vscode';
import { gatewayProfile } from '../core/api/services';
import { JobRecord, JobRunner } from '../jobs/upscaleJob';
import { ApiKeyStore } from '../secrets';
import { readSettings } from '../settings';

const imageName = /\.(png|jpe?g|webp)$/i;

export interface UpscaleSummary {
  jobs: { source: string; state: JobRecord['state']; error?: string; saved: string[] }[];
}

export interface UpscaleDeps {
  runner: JobRunner;
  keys: ApiKeyStore;
  showPanel: () => void;
}

/**
 * "Upscale with Ideogram…": from the explorer (clicked file and the whole selection), the image
 * preview's title bar, or the palette (which asks for images). Returns what happened to each file,
 * for keybindings and other extensions.
 */
export function upscaleCommand(deps: UpscaleDeps) {
  return async (clicked?: vscode.Uri, selected?: vscode.Uri[]): Promise<UpscaleSummary | undefined> => {
    const targets = selected?.length ? selected : clicked instanceof vscode.Uri ? [clicked] : await pickImages();
    if (!targets?.length) return undefined;
    const key = await deps.keys.getOrAsk();
    if (!key) return undefined;
    const settings = readSettings();
    let profile;
    try {
      profile = gatewayProfile(settings.baseUrl, settings.taskQueryPath, key);
    } catch (err) {
      void vscode.window.showErrorMessage((err as Error).message, vscode.l10n.t('Open Settings')).then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'ideogramUpscale.baseUrl');
      });
      return undefined;
    }
    deps.showPanel();
    const jobs = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: targets.length === 1 ? vscode.l10n.t('Upscaling {0}', baseName(targets[0])) : vscode.l10n.t('Upscaling {0} images', targets.length),
        cancellable: true,
      },
      async (progress, token) => {
        const abort = new AbortController();
        const onCancel = token.onCancellationRequested(() => abort.abort());
        const done: JobRecord[] = [];
        const watch = deps.runner.onDidChange((job) => {
          if (!done.includes(job)) progress.report({ message: `${baseName(job.source)}: ${phaseText(job.state)}` });
        });
        try {
          for (const target of targets) {
            if (abort.signal.aborted) break;
            const job = await deps.runner.run(target, {}, profile, abort.signal);
            done.push(job);
            progress.report({ increment: 100 / targets.length });
          }
        } finally {
          watch.dispose();
          onCancel.dispose();
        }
        return done;
      },
    );
    tell(jobs, deps);
    return {
      jobs: jobs.map((j) => ({
        source: j.source.toString(),
        state: j.state,
        error: j.error,
        saved: j.results.flatMap((r) => (r.savedTo ? [r.savedTo.toString()] : [])),
      })),
    };
  };
}

/** One notification for the whole run; a failure says what to do next. */
function tell(jobs: JobRecord[], deps: UpscaleDeps): void {
  const failed = jobs.filter((j) => j.state === 'failed');
  const saved = jobs.flatMap((j) => j.results.flatMap((r) => (r.savedTo ? [r.savedTo] : [])));
  if (failed.length > 0) {
    const first = failed[0];
    const setKey = vscode.l10n.t('Set API Key');
    const show = vscode.l10n.t('Show Results');
    const actions = first.failure?.kind === 'auth' ? [setKey, show] : [show];
    const text = failed.length === 1 ? `${baseName(first.source)}: ${first.error}` : vscode.l10n.t('{0} of {1} images failed. {2}: {3}', failed.length, jobs.length, baseName(first.source), first.error ?? '');
    void vscode.window.showErrorMessage(text, ...actions).then((choice) => {
      if (choice === setKey) void deps.keys.ask();
      if (choice === show) deps.showPanel();
    });
  } else if (saved.length > 0) {
    const open = vscode.l10n.t('Open');
    const message = saved.length === 1 ? vscode.l10n.t('Saved {0}', vscode.workspace.asRelativePath(saved[0])) : vscode.l10n.t('Saved {0} upscaled images', saved.length);
    void vscode.window.showInformationMessage(message, open).then((choice) => {
      if (choice) void vscode.commands.executeCommand('vscode.open', saved[0]);
    });
  }
}

async function pickImages(): Promise<vscode.Uri[] | undefined> {
  const found = await vscode.workspace.findFiles('**/*.{png,PNG,jpg,JPG,jpeg,JPEG,webp,WEBP}', '**/{node_modules,.git}/**', 5000);
  const images = found.filter((u) => imageName.test(u.path)).sort((a, b) => a.path.localeCompare(b.path));
  if (images.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There are no PNG, JPEG or WebP images in this workspace.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    images.map((uri) => ({ label: baseName(uri), description: vscode.workspace.asRelativePath(uri), uri })),
    { canPickMany: true, title: vscode.l10n.t('Upscale with Ideogram: choose images'), placeHolder: vscode.l10n.t('Type to filter; Space selects') },
  );
  return picked?.map((p) => p.uri);
}

function phaseText(state: JobRecord['state']): string {
  switch (state) {
    case 'uploading':
      return vscode.l10n.t('uploading');
    case 'waiting':
      return vscode.l10n.t('waiting for the service');
    case 'downloading':
      return vscode.l10n.t('downloading');
    default:
      return state;
  }
}

function baseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}
