import * as vscode from 'vscode';

/** Every setting of the extension, read in this one place. */
export interface Settings {
  baseUrl: string;
  taskQueryPath: string;
  requestTimeoutMs: number;
  taskTimeoutMs: number;
}

const section = 'ideogramUpscale';

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(section);
  return {
    baseUrl: userValue(config, 'baseUrl', 'https://yunwu.ai'),
    taskQueryPath: userValue(config, 'taskQueryPath', '/ideogram/upscale/{task_id}'),
    requestTimeoutMs: clamp(config.get<number>('requestTimeoutSeconds', 120), 5, 1800) * 1000,
    taskTimeoutMs: clamp(config.get<number>('taskTimeoutSeconds', 600), 10, 7200) * 1000,
  };
}

/**
 * Where the key is sent is taken from the user's own settings only: a cloned repository's
 * workspace settings must never redirect it.
 */
function userValue(config: vscode.WorkspaceConfiguration, key: string, fallback: string): string {
  const inspected = config.inspect<string>(key);
  const value = inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}

export function onSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(section)) listener();
  });
}
