import type { FromPanel, JobView, Labels } from '../src/shared/protocol';

/** What every part of the page shares: the bridge, the words, the jobs as last told, and the view the user chose. */

declare function acquireVsCodeApi(): { postMessage(message: FromPanel): void; getState(): unknown; setState(state: unknown): void };

export type ViewMode = 'slider' | 'sideBySide';
export type Zoom = 'fit' | 'actualSize';

/** What the page remembers across hiding and reloads. */
export interface UiState {
  mode: ViewMode;
  zoom: Zoom;
  /** Job id → the result shown in the comparison. */
  chosen: Record<string, string>;
  /** Job id → divider position, 0–100. */
  pos: Record<string, number>;
}

export const vscode = acquireVsCodeApi();
export const lang = document.documentElement.lang || undefined;
/** The words in the user's language, written into the page by the extension (vscode.l10n). */
export const labels = JSON.parse(document.getElementById('labels')?.textContent ?? '{}') as Labels;
export const jobs = new Map<string, JobView>();
export const ui = loadState();
/** The webview URI that image sources are relative to (sent with the `jobs` message). */
export const images = { base: '' };

function loadState(): UiState {
  const saved = (vscode.getState() ?? {}) as Partial<UiState>;
  return {
    mode: saved.mode === 'sideBySide' ? 'sideBySide' : 'slider',
    zoom: saved.zoom === 'actualSize' ? 'actualSize' : 'fit',
    chosen: { ...saved.chosen },
    pos: { ...saved.pos },
  };
}

export function saveState(): void {
  vscode.setState(ui);
}
