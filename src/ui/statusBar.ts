import * as vscode from 'vscode';
import { JobStore } from '../jobs/jobStore';

/** Shows how many upscales are running while any are; a click opens the results panel. */
export function runningJobsStatus(jobs: JobStore): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('ideogramUpscale.running', vscode.StatusBarAlignment.Left, 10);
  item.name = vscode.l10n.t('Ideogram Upscale');
  item.command = 'ideogramUpscale.showResults';
  let shown = 0;
  const listener = jobs.onDidChange(() => {
    const running = jobs.runningCount;
    // A job's steps change nothing here; each update of the item is a message to the window.
    if (running === shown) return;
    shown = running;
    if (running === 0) {
      item.hide();
      return;
    }
    // A still icon: a spinning one has the window redraw the status bar 30 times a second for as long as a batch runs.
    item.text = `$(cloud-upload) ${vscode.l10n.t('Upscaling {0}', running)}`;
    item.tooltip = vscode.l10n.t('{0} images are being upscaled. Click to show the results panel.', running);
    item.show();
  });
  return vscode.Disposable.from(item, listener);
}
