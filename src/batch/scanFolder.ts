import { Dirent } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import * as vscode from 'vscode';
import { ScannedImage } from '../core/batch/plan';
import { alwaysExcluded, EntryKind, ListFolder, walkImages } from '../core/batch/walk';
import { DoneRecord, emptyRecord, isDone, parseRecord, recordPath, serializeRecord } from '../core/batch/record';
import { sha256 } from '../core/files/hash';
import { readSize, sniffFormat } from '../core/images/format';

/** Enough for the header of a PNG or WebP and of nearly every JPEG (its size can follow large EXIF or ICC data). */
const headBytes = 64 * 1024;

/**
 * The images below `folder`, their headers read (never decoded): `files.exclude` honoured, and
 * `node_modules` and `.git` left out. `done` comes from the record, for files that have an entry.
 * The folders are listed directly (node's fs for files on disk, `workspace.fs` for other schemes)
 * rather than through the search service, which costs twice as long and knows only `file:` folders.
 */
export async function scanFolder(folder: vscode.Uri, record: DoneRecord | undefined, token?: vscode.CancellationToken): Promise<ScannedImage[]> {
  const root = vscode.workspace.getWorkspaceFolder(folder)?.uri ?? folder;
  const found = await imagePaths(root, posix.relative(root.path, folder.path), token);
  const images: ScannedImage[] = [];
  // A few at a time: enough to keep the disk busy, few enough to keep memory flat.
  let next = 0;
  const worker = async () => {
    while (next < found.length && !token?.isCancellationRequested) {
      const path = found[next++];
      // On disk, a path joined as text: a Uri per file, and its fsPath, cost more than the read.
      const at = root.scheme === 'file' ? join(root.fsPath, path) : vscode.Uri.joinPath(root, path);
      images.push(await readHeader(at, path, record?.images[path] !== undefined ? record : undefined));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return images;
}

/**
 * The image files below `start` (relative to `root`, '' for all of it), as paths relative to
 * `root`, left out as the scan leaves them out: `files.exclude`, `node_modules` and `.git`.
 */
export function imagePaths(root: vscode.Uri, start = '', token?: vscode.CancellationToken): Promise<string[]> {
  const list: ListFolder = async (relative) => {
    if (token?.isCancellationRequested) return [];
    const uri = relative ? vscode.Uri.joinPath(root, relative) : root;
    if (uri.scheme === 'file') {
      const entries = await readdir(uri.fsPath, { withFileTypes: true });
      return Promise.all(entries.map(async (e) => [e.name, e.isSymbolicLink() ? await linkKind(join(uri.fsPath, e.name)) : kindOf(e)] as [string, EntryKind]));
    }
    return (await vscode.workspace.fs.readDirectory(uri)).map(([name, type]) => [name, type & vscode.FileType.SymbolicLink && type & vscode.FileType.Directory ? 'other' : type & vscode.FileType.Directory ? 'folder' : type & vscode.FileType.File ? 'file' : 'other']);
  };
  return walkImages(start, list, [...alwaysExcluded, ...configuredExcludes(root)]);
}

function kindOf(entry: Dirent): EntryKind {
  return entry.isDirectory() ? 'folder' : entry.isFile() ? 'file' : 'other';
}

/** A link to a file counts as the file; a link to a folder is not followed. */
async function linkKind(path: string): Promise<EntryKind> {
  try {
    return (await stat(path)).isFile() ? 'file' : 'other';
  } catch {
    return 'other';
  }
}

/** `at`: the file's path on disk, or its URI on another file system. */
async function readHeader(at: string | vscode.Uri, path: string, record: DoneRecord | undefined): Promise<ScannedImage> {
  let head: Uint8Array;
  let bytes: number;
  let whole: Uint8Array | undefined;
  const readAll = async () => (typeof at === 'string' ? new Uint8Array(await readFile(at)) : vscode.workspace.fs.readFile(at));
  if (typeof at === 'string') {
    const file = await open(at, 'r');
    try {
      bytes = (await file.stat()).size;
      const buffer = new Uint8Array(Math.min(headBytes, bytes));
      await file.read(buffer, 0, buffer.length, 0);
      head = buffer;
    } finally {
      await file.close();
    }
  } else {
    whole = await readAll();
    head = whole;
    bytes = whole.length;
  }
  const format = sniffFormat(head.subarray(0, 512));
  let size = readSize(head);
  if (!size && format === 'jpeg' && bytes > head.length) {
    whole ??= await readAll();
    size = readSize(whole);
  }
  let done: boolean | undefined;
  if (record) {
    whole ??= await readAll();
    done = isDone(record.images[path], sha256(whole));
  }
  return { path, bytes, format, size, done };
}

/** The globs `files.exclude` turns on (those with a `when` condition are left to VS Code's own views). */
function configuredExcludes(root: vscode.Uri): string[] {
  // Each folder of a multi-root workspace may exclude its own.
  const configured = vscode.workspace.getConfiguration('files', root).get<Record<string, unknown>>('exclude', {});
  return Object.entries(configured)
    .filter(([, on]) => on === true)
    .map(([glob]) => glob);
}

/** The workspace folder's record of done work, or an empty one. */
export async function readRecord(folder: vscode.WorkspaceFolder): Promise<DoneRecord> {
  const uri = vscode.Uri.joinPath(folder.uri, recordPath);
  let text: string;
  try {
    text = new TextDecoder().decode(uri.scheme === 'file' ? await readFile(uri.fsPath) : await vscode.workspace.fs.readFile(uri));
  } catch {
    return emptyRecord();
  }
  return parseRecord(text);
}

export async function writeRecord(folder: vscode.WorkspaceFolder, record: DoneRecord): Promise<void> {
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder.uri, recordPath), new TextEncoder().encode(serializeRecord(record)));
}
