import * as vscode from 'vscode';
import { candidatePaths, findImageReference, imagePathLanguages } from '../core/files/imageReferences';
import { readSettings } from '../settings';


/** The context key behind "Upscale Image at Cursor" in the editor's context menu. */
const contextKey = 'ideogramUpscale.imageAtCursor';

export interface FoundImage {
  uri: vscode.Uri;
  /** Where the path stands in its line. */
  range: vscode.Range;
}

/** The workspace image that the path at `position` names, looked up through `workspace.fs`. */
export async function imageAt(document: vscode.TextDocument, position: vscode.Position): Promise<FoundImage | undefined> {
  if (position.line >= document.lineCount) return undefined;
  const ref = findImageReference(document.lineAt(position.line).text, position.character);
  if (!ref) return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  const places = candidatePaths(ref.path, { documentPath: document.uri.path, workspaceFolder: folder?.uri.path, assetRoots: readSettings().assetRoots });
  for (const path of places) {
    const uri = document.uri.with({ path, query: '', fragment: '' });
    if (!vscode.workspace.getWorkspaceFolder(uri)) continue;
    const stat = await vscode.workspace.fs.stat(uri).then(
      (s) => s,
      () => undefined,
    );
    if (stat && stat.type & vscode.FileType.File) return { uri, range: new vscode.Range(position.line, ref.start, position.line, ref.end) };
  }
  return undefined;
}

/**
 * Keeps the context key true while the cursor (or the mouse, through the hover) is on a path
 * that resolves. Only the current line is read, and only after the cursor rests a moment.
 */
export class ImageAtCursor implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private shown: FoundImage | undefined;
  private generation = 0;

  constructor() {
    this.disposables.push(
      vscode.window.onDidChangeTextEditorSelection((e) => this.schedule(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.schedule(editor)),
    );
    this.schedule(vscode.window.activeTextEditor);
  }

  dispose(): void {
    clearTimeout(this.timer);
    vscode.Disposable.from(...this.disposables).dispose();
  }

  /** The image the menu item was shown for: what the cursor is on now, else what the key last said. */
  async current(): Promise<vscode.Uri | undefined> {
    const editor = vscode.window.activeTextEditor;
    const atCursor = editor && (await imageAt(editor.document, editor.selection.active));
    return atCursor?.uri ?? this.shown?.uri;
  }

  /** Called by the hover with what it found under the mouse, so a right-click there finds the key set. */
  note(found: FoundImage): void {
    this.generation++;
    this.set(found);
  }

  private schedule(editor: vscode.TextEditor | undefined): void {
    clearTimeout(this.timer);
    const generation = ++this.generation;
    this.timer = setTimeout(async () => {
      const found = editor && imagePathLanguages.includes(editor.document.languageId) ? await imageAt(editor.document, editor.selection.active) : undefined;
      if (generation === this.generation) this.set(found);
    }, 100);
  }

  private set(found: FoundImage | undefined): void {
    const changed = !!found !== !!this.shown;
    this.shown = found;
    if (changed) void vscode.commands.executeCommand('setContext', contextKey, !!found);
  }
}
