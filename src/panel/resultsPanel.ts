import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { paramsSummary } from '../core/api/params';
import { JobRecord, JobRunner, StoredImage } from '../jobs/upscaleJob';
import { FromPanel, ImageView, JobView, parseFromPanel, ToPanel } from './protocol';

/** The one results panel: jobs with their state, and each result beside its source. */
export class ResultsPanel implements vscode.Disposable {
  static readonly viewType = 'ideogramUpscale.results';
  private static current: ResultsPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];

  static createOrShow(extensionUri: vscode.Uri, runner: JobRunner, storageDir: string): ResultsPanel {
    if (ResultsPanel.current) {
      ResultsPanel.current.panel.reveal(undefined, true);
      return ResultsPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(ResultsPanel.viewType, vscode.l10n.t('Ideogram Upscale'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.file(storageDir)],
    });
    ResultsPanel.current = new ResultsPanel(panel, extensionUri, runner);
    return ResultsPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly runner: JobRunner,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'panel-icon.svg');
    panel.webview.html = html(panel.webview, extensionUri);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw) => this.receive(parseFromPanel(raw))),
      runner.onDidChange((job) => this.post({ type: 'job', job: this.view(job) })),
    );
  }

  dispose(): void {
    if (ResultsPanel.current === this) ResultsPanel.current = undefined;
    this.panel.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private receive(message: FromPanel | undefined): void {
    if (!message) return;
    if (message.type === 'ready') {
      void this.post({ type: 'jobs', jobs: this.runner.jobs.map((j) => this.view(j)) });
      return;
    }
    const result = this.runner.find(message.jobId)?.results.find((r) => r.id === message.resultId);
    const target = result?.savedTo ?? (result?.stored ? vscode.Uri.file(result.stored.path) : undefined);
    if (!target) return;
    if (message.action === 'open') {
      void vscode.commands.executeCommand('vscode.open', target, { preview: true, viewColumn: vscode.ViewColumn.Active });
    } else {
      void vscode.commands.executeCommand('revealInExplorer', target);
    }
  }

  private post(message: ToPanel): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  private view(job: JobRecord): JobView {
    return {
      id: job.id,
      fileName: basename(job.source.path),
      state: job.state,
      error: job.error,
      params: paramsSummary(job.params),
      startedAt: job.startedAt,
      endedAt: job.endedAt,
      source: job.sourceCopy && this.image(job.sourceCopy),
      results: job.results.map((r) => ({
        id: r.id,
        withheld: r.withheld,
        seed: r.seed,
        image: r.stored && this.image(r.stored),
        savedAs: r.savedTo && vscode.workspace.asRelativePath(r.savedTo),
      })),
    };
  }

  private image(stored: StoredImage): ImageView {
    return {
      src: this.panel.webview.asWebviewUri(vscode.Uri.file(stored.path)).toString(),
      width: stored.size?.width,
      height: stored.size?.height,
      bytes: stored.bytes,
    };
  }
}

function html(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'panel.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css'));
  const csp = [`default-src 'none'`, `img-src ${webview.cspSource}`, `style-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>${vscode.l10n.t('Ideogram Upscale')}</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="empty">${vscode.l10n.t('Right-click an image in the explorer and choose "Upscale with Ideogram…".')}</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
