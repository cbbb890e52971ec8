import { randomBytes } from 'node:crypto';
import { basename, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { paramsSummary } from '../core/api/params';
import { JobRecord, JobStore, StoredImage } from '../jobs/jobStore';
import { changeBetween, FromPanel, ImageView, JobChange, JobView, Labels, parseFromPanel, ResultAction, ToPanel } from '../shared/protocol';

export interface PanelHandlers {
  onResultAction(action: ResultAction, job: JobRecord, resultId: string): void;
  onCancel(job: JobRecord): void;
  onRetry(job: JobRecord): void;
  onResume(job: JobRecord): void;
  canUndo(job: JobRecord, resultId: string): boolean;
  onReplaceAll(picks: { job: JobRecord; resultId: string }[]): void;
}

/** The one results panel: every job of this workspace, with each result beside its original. */
export class ResultsPanel implements vscode.Disposable {
  static readonly viewType = 'ideogramUpscale.results';
  private static current: ResultsPanel | undefined;
  /** What crossed the bridge to the page since counting began; counted only when asked (the benchmark, tests). */
  private static traffic: { panelMessages: number; panelBytes: number } | undefined;

  /** Starts counting the messages (and their JSON size) sent to the page; returns the running count. */
  static countTraffic(): Readonly<{ panelMessages: number; panelBytes: number }> {
    ResultsPanel.traffic ??= { panelMessages: 0, panelBytes: 0 };
    return ResultsPanel.traffic;
  }

  private readonly disposables: vscode.Disposable[] = [];
  /** Each job as the page last heard of it: later messages carry only what changed. */
  private readonly sent = new Map<string, JobView>();
  /** Whether the page has spoken since it was last loaded, and how often it was loaded. */
  private pageStarted = false;
  private pageLoads = 0;
  private startWatch: ReturnType<typeof setTimeout> | undefined;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** Jobs changed since the last message went out. */
  private readonly pending = new Set<string>();

  static createOrShow(extensionUri: vscode.Uri, storageDir: string, jobs: JobStore, handlers: PanelHandlers): ResultsPanel {
    if (ResultsPanel.current) {
      ResultsPanel.current.panel.reveal(undefined, true);
      return ResultsPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(ResultsPanel.viewType, vscode.l10n.t('Ideogram Upscale'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(extensionUri, storageDir));
    return ResultsPanel.revive(panel, extensionUri, storageDir, jobs, handlers);
  }

  /** Takes over a panel restored by VS Code after a reload. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, storageDir: string, jobs: JobStore, handlers: PanelHandlers): ResultsPanel {
    ResultsPanel.current?.dispose();
    panel.webview.options = webviewOptions(extensionUri, storageDir);
    ResultsPanel.current = new ResultsPanel(panel, extensionUri, storageDir, jobs, handlers);
    return ResultsPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly storageDir: string,
    private readonly jobs: JobStore,
    private readonly handlers: PanelHandlers,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'panel-icon.svg');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => this.watchStart()),
      panel.webview.onDidReceiveMessage((raw) => this.receive(parseFromPanel(raw))),
      jobs.onDidChange((job) => this.queueChange(job)),
    );
    this.loadPage();
  }

  dispose(): void {
    if (ResultsPanel.current === this) ResultsPanel.current = undefined;
    clearTimeout(this.startWatch);
    clearTimeout(this.flushTimer);
    vscode.Disposable.from(...this.disposables).dispose();
    this.panel.dispose();
  }

  private loadPage(): void {
    this.pageStarted = false;
    this.pageLoads++;
    this.panel.webview.html = html(this.panel.webview, this.extensionUri);
    this.watchStart();
  }

  /**
   * Loads the page again (twice at most) when it has not spoken a while after it was shown. In a
   * VS Code served to a browser (code-server), all webview pages share one service worker, and a
   * page restored beside another webview can miss its script and stay blank.
   */
  private watchStart(): void {
    if (this.startWatch || this.pageStarted || !this.panel.visible || this.pageLoads > 2) return;
    this.startWatch = setTimeout(() => {
      this.startWatch = undefined;
      if (!this.pageStarted && this.panel.visible) this.loadPage();
    }, pageStartMs);
  }

  private async receive(message: FromPanel | undefined): Promise<void> {
    this.pageStarted = true;
    if (!message) return;
    if (message.type === 'ready') {
      await this.jobs.loadHistory();
      void this.postAll();
      return;
    }
    if (message.type === 'summary') {
      void vscode.commands.executeCommand('ideogramUpscale.copySummary');
      return;
    }
    if (message.type === 'replaceAll') {
      const picks = message.picks.flatMap((p) => {
        const job = this.jobs.find(p.jobId);
        return job?.results.some((r) => r.id === p.resultId) ? [{ job, resultId: p.resultId }] : [];
      });
      if (picks.length) this.handlers.onReplaceAll(picks);
      return;
    }
    const job = this.jobs.find(message.jobId);
    if (!job) return;
    if (message.type === 'cancel') {
      this.handlers.onCancel(job);
    } else if (message.type === 'retry') {
      this.handlers.onRetry(job);
    } else if (message.type === 'resume') {
      if (job.resumable === 'poll') this.handlers.onResume(job);
    } else if (job.results.some((r) => r.id === message.resultId)) {
      this.handlers.onResultAction(message.action, job, message.resultId);
    }
  }

  /**
   * Changes a few milliseconds apart (a result kept, the job finished, its copy saved; an upload
   * answered at once) reach the page as one message with the job as it is by then.
   */
  private queueChange(job: JobRecord): void {
    this.pending.add(job.id);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      const ids = [...this.pending];
      this.pending.clear();
      // A removed job (a prune, Clear Results) leaves the page with the whole list, which drops its card.
      if (ids.some((id) => !this.jobs.find(id))) {
        void this.postAll();
        return;
      }
      const changes = ids.flatMap((id) => {
        const job = this.jobs.find(id);
        return (job && this.changeOf(job)) || [];
      });
      if (changes.length) void this.post({ type: 'changes', jobs: changes });
    }, coalesceMs);
  }

  /** Every job as it is now: what the page shows is replaced by it. */
  private postAll(): Thenable<boolean> {
    const views = this.jobs.jobs.map((j) => this.view(j));
    this.sent.clear();
    for (const view of views) this.sent.set(view.id, view);
    const base = `${this.panel.webview.asWebviewUri(vscode.Uri.file(this.storageDir)).toString()}/`;
    return this.post({ type: 'jobs', jobs: views, base });
  }

  /**
   * What the page has not heard of a job: all of it if it is new, else the fields that differ. A
   * queued job's own steps (its start, its source kept) wait until it moves on.
   */
  private changeOf(job: JobRecord): JobChange | undefined {
    const known = this.sent.get(job.id);
    if (known?.state === 'queued' && job.state === 'queued') return undefined;
    const view = this.view(job, known);
    this.sent.set(job.id, view);
    if (!known) return view;
    return changeBetween(known, view);
  }

  private post(message: ToPanel): Thenable<boolean> {
    if (ResultsPanel.traffic) {
      ResultsPanel.traffic.panelMessages++;
      ResultsPanel.traffic.panelBytes += JSON.stringify(message).length;
    }
    return this.panel.webview.postMessage(message);
  }

  /** The job as the page shows it; where it lives is taken from `known`, as a job's source never changes. */
  private view(job: JobRecord, known?: JobView): JobView {
    return {
      id: job.id,
      fileName: basename(job.source.path),
      relativePath: known?.relativePath ?? vscode.workspace.asRelativePath(job.source),
      state: job.state,
      failure: job.failure,
      actionError: job.actionError,
      interrupted: (job.state === 'failed' && job.failureKind === 'interrupted') || undefined,
      resumable: job.resumable === 'poll',
      requestId: job.requestId,
      params: job.preset ? `${job.preset} · ${paramsSummary(job.params)}` : paramsSummary(job.params),
      batch: job.batch?.id,
      startedAt: job.startedAt,
      endedAt: job.endedAt,
      source: job.sourceCopy && this.image(job.sourceCopy),
      results: job.results.map((r) => ({
        id: r.id,
        withheld: r.withheld,
        seed: r.seed,
        image: r.stored && this.image(r.stored),
        savedAs: r.saved.map((s) => vscode.workspace.asRelativePath(vscode.Uri.parse(s))),
        replaced: r.replacedAt !== undefined,
        canUndo: this.handlers.canUndo(job, r.id),
        alphaRebuilt: r.alphaRebuilt === true,
        alphaUnaligned: r.alphaUnaligned === true,
        aspectMismatch: r.aspectMatches === false,
      })),
    };
  }

  private image(stored: StoredImage): ImageView {
    return {
      src: relative(this.storageDir, stored.path).split(sep).map(encodeURIComponent).join('/'),
      width: stored.size?.width,
      height: stored.size?.height,
      bytes: stored.bytes,
    };
  }
}

/** Short enough not to be seen, long enough to take a job's last steps (each a write of its record) together. */
const coalesceMs = 50;

/** The page starts in well under a second; a page still silent after this is taken for blank. */
const pageStartMs = 8000;

/** The page may load only its own script, style and icons, and the images of the extension's storage. */
function webviewOptions(extensionUri: vscode.Uri, storageDir: string): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.file(storageDir)],
  };
}

function labels(): Labels {
  const t = vscode.l10n.t;
  return {
    empty: t('Right-click an image in the explorer and choose "Upscale with Ideogram…". Results appear here.'),
    queued: t('Queued'),
    uploading: t('Uploading'),
    waiting: t('Waiting for the service'),
    downloading: t('Downloading'),
    done: t('Done'),
    failed: t('Failed'),
    interrupted: t('Interrupted'),
    cancelled: t('Cancelled'),
    original: t('Original'),
    upscaled: t('Upscaled'),
    seed: t('Seed {0}'),
    withheld: t('Withheld by the service as unsafe'),
    replace: t('Replace original'),
    replaceAll: t('Replace all of the last run'),
    saveNext: t('Save next to original'),
    saveAs: t('Save as…'),
    open: t('Open'),
    reveal: t('Reveal in Explorer'),
    runAgain: t('Run again'),
    resume: t('Resume'),
    undo: t('Undo replace'),
    cancel: t('Cancel'),
    slider: t('Slider'),
    sideBySide: t('Side by side'),
    fit: t('Fit'),
    actualSize: t('100%'),
    savedAs: t('Saved as {0}'),
    replacedNote: t('This result replaced the original.'),
    requestId: t('Request id {0}'),
    from: t('from {0} to {1} ({2}×)'),
    alphaRebuilt: t('The service returned an opaque image; the original\'s transparency was put back.'),
    alphaUnaligned: t('The service returned an opaque image, cropped or padded so that the original\'s transparency could not be lined up with it; it was left opaque.'),
    copySummary: t('Copy summary'),
    aspectMismatch: t('The service cropped or padded this image: its proportions differ from the original\'s (dashed outline). Replace is refused; save it next to the original instead.'),
  };
}

function html(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const uri = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts));
  const csp = [`default-src 'none'`, `img-src ${webview.cspSource}`, `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uri('dist', 'codicons', 'codicon.css')}">
<link rel="stylesheet" href="${uri('media', 'panel.css')}">
<title>${vscode.l10n.t('Ideogram Upscale')}</title>
</head>
<body>
<div id="toolbar"></div>
<main id="app" aria-live="polite"></main>
<script id="labels" type="application/json">${JSON.stringify(labels()).replace(/</g, '\\u003c')}</script>
<script nonce="${nonce}" src="${uri('dist', 'panel.js')}"></script>
</body>
</html>`;
}
