import { link, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import * as vscode from 'vscode';

/**
 * Reads and writes of the user's files. A `file:` URI is this machine's disk (the extension host
 * runs where the workspace is, local or remote), so node's fs does it: `workspace.fs` may go
 * through the window (it does in a browser-served VS Code), where every call waits on whatever
 * the window is drawing, and a batch makes hundreds. Any other scheme goes through `workspace.fs`.
 */
export async function readBytes(uri: vscode.Uri): Promise<Uint8Array> {
  return uri.scheme === 'file' ? new Uint8Array(await readFile(uri.fsPath)) : vscode.workspace.fs.readFile(uri);
}

export async function statOf(uri: vscode.Uri): Promise<{ size: number; isFolder: boolean }> {
  if (uri.scheme === 'file') {
    const s = await stat(uri.fsPath);
    return { size: s.size, isFolder: s.isDirectory() };
  }
  const s = await vscode.workspace.fs.stat(uri);
  return { size: s.size, isFolder: (s.type & vscode.FileType.Directory) !== 0 };
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await statOf(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes through a temporary file in the same folder and a rename, so the target is either the
 * old file or the whole new one, never half-written. Returns false when `overwrite` is false and
 * the name was taken meanwhile.
 */
export async function writeAtomic(target: vscode.Uri, bytes: Uint8Array, overwrite: boolean): Promise<boolean> {
  const name = target.path.slice(target.path.lastIndexOf('/') + 1);
  const temp = vscode.Uri.joinPath(target, '..', `.${name}.${process.pid}-${Date.now().toString(36)}.part`);
  if (target.scheme === 'file') {
    await writeFile(temp.fsPath, bytes);
    try {
      // A POSIX rename replaces in one step (workspace.fs deletes first, leaving a moment with no
      // file); a hard link claims a free name or fails, never taking one that appeared meanwhile.
      if (overwrite) await rename(temp.fsPath, target.fsPath);
      else await claim(temp.fsPath, target.fsPath);
    } catch (err) {
      await rm(temp.fsPath, { force: true });
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
    if (!overwrite) await rm(temp.fsPath, { force: true });
    return true;
  }
  await vscode.workspace.fs.writeFile(temp, bytes);
  try {
    await vscode.workspace.fs.rename(temp, target, { overwrite });
    return true;
  } catch (err) {
    await vscode.workspace.fs.delete(temp).then(undefined, () => undefined);
    if (!overwrite && (await exists(target))) return false;
    throw err;
  }
}

/** Links `temp` as `target` unless the name is taken; where the disk has no hard links, checks then renames. */
async function claim(temp: string, target: string): Promise<void> {
  try {
    await link(temp, target);
  } catch (err) {
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
    await stat(target).then(
      () => Promise.reject(Object.assign(new Error(`${target} exists`), { code: 'EEXIST' })),
      () => rename(temp, target),
    );
    return;
  }
}

/**
 * The file a write to `uri` lands on (a symbolic link's target, resolved, on this machine's disk)
 * and whether that file is inside a workspace folder, the folders' own links resolved too.
 */
export async function realLocation(uri: vscode.Uri): Promise<{ real: vscode.Uri; inside: boolean }> {
  const real = uri.scheme === 'file' ? await realpath(uri.fsPath).then(vscode.Uri.file, () => undefined) : undefined;
  if (!real) return { real: uri, inside: vscode.workspace.getWorkspaceFolder(uri) !== undefined };
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    const root = await realpath(folder.uri.fsPath).catch(() => folder.uri.fsPath);
    const path = relative(root, real.fsPath);
    if (path !== '' && path.split(sep)[0] !== '..' && !isAbsolute(path)) return { real, inside: true };
  }
  return { real, inside: false };
}
