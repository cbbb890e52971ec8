import * as vscode from 'vscode';
import { describeProblems, parsePresetFile, presetsPath } from '../core/presets/presetFile';
import { allPresets, Preset, PresetConfig, ruleFor } from '../core/presets/presets';

/** A presets file that cannot be used: its problems, each named by file and line. */
export class PresetFileError extends Error {
  constructor(
    readonly uri: vscode.Uri,
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** The presets of the chosen files' workspace folders, and what each file is mapped to. */
export interface WorkspacePresets {
  /** The built-ins, then each folder's own (by id, the first folder's when two define one). */
  presets: Preset[];
  /** The preset a file's path maps it to, and the glob that did. */
  mappedFor(uri: vscode.Uri): { preset: Preset; glob: string } | undefined;
}

/** The workspace folder's presets file, or undefined when it has none; throws a PresetFileError for a file with problems. */
export async function readPresetFile(folder: vscode.WorkspaceFolder): Promise<PresetConfig | undefined> {
  const uri = vscode.Uri.joinPath(folder.uri, presetsPath);
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
  const result = parsePresetFile(text);
  if (result.config) return result.config;
  throw new PresetFileError(uri, result.problems[0].line, describeProblems(vscode.workspace.asRelativePath(uri), result.problems));
}

/** Reads the presets files of the folders these files are in (each once). */
export async function presetsFor(uris: readonly vscode.Uri[]): Promise<WorkspacePresets> {
  const configs = new Map<string, PresetConfig | undefined>();
  for (const uri of uris) {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (folder && !configs.has(folder.uri.toString())) configs.set(folder.uri.toString(), await readPresetFile(folder));
  }
  const presets = new Map<string, Preset>();
  for (const config of [undefined, ...configs.values()]) for (const p of allPresets(config)) if (!presets.has(p.id)) presets.set(p.id, p);
  return {
    presets: [...presets.values()],
    mappedFor(uri) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      const config = folder && configs.get(folder.uri.toString());
      const rule = config && ruleFor(vscode.workspace.asRelativePath(uri, false), config);
      const preset = rule && allPresets(config).find((p) => p.id === rule.preset);
      return rule && preset ? { preset, glob: rule.glob } : undefined;
    },
  };
}

/** Says what is wrong with the presets file, with a button that opens it at the first problem. */
export function showPresetFileError(err: PresetFileError): void {
  const open = vscode.l10n.t('Open Presets File');
  void vscode.window.showErrorMessage(vscode.l10n.t('Nothing was sent: {0}', err.message), open).then(async (choice) => {
    if (choice !== open) return;
    const position = new vscode.Position(err.line - 1, 0);
    await vscode.window.showTextDocument(err.uri, { selection: new vscode.Range(position, position) });
  });
}
