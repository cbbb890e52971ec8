import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { formatInfo, UpscalableFormat } from '../core/images/format';
import { outputName } from '../core/files/naming';

/**
 * Writes a result beside its source under a name that is free, through `workspace.fs` so that it
 * works in remote workspaces too. The bytes go to a temporary file first and are renamed into
 * place, so a crash never leaves a half-written image under the final name.
 */
export async function saveNextToOriginal(source: vscode.Uri, sourceFormat: UpscalableFormat, result: { path: string; format: UpscalableFormat }): Promise<vscode.Uri> {
  const folder = vscode.Uri.joinPath(source, '..');
  const sourceName = source.path.slice(source.path.lastIndexOf('/') + 1);
  const dot = sourceName.lastIndexOf('.');
  const stem = dot > 0 ? sourceName.slice(0, dot) : sourceName;
  // The source's own spelling of its extension is kept when the format is unchanged (.JPEG stays .JPEG).
  const ext = result.format === sourceFormat && dot > 0 ? sourceName.slice(dot + 1) : formatInfo[result.format].ext;
  const bytes = await readFile(result.path);
  for (let n = 1; n < 1000; n++) {
    const target = vscode.Uri.joinPath(folder, outputName(stem, ext, n));
    if (await exists(target)) continue;
    const temp = vscode.Uri.joinPath(folder, `.${outputName(stem, ext, n)}.${process.pid}-${Date.now()}.part`);
    await vscode.workspace.fs.writeFile(temp, bytes);
    try {
      await vscode.workspace.fs.rename(temp, target, { overwrite: false });
      return target;
    } catch (err) {
      await vscode.workspace.fs.delete(temp).then(undefined, () => undefined);
      if (!(await exists(target))) throw err;
      // Someone else took the name between the check and the rename: try the next one.
    }
  }
  throw new Error(`No free file name for ${stem}@upscaled.${ext}`);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
