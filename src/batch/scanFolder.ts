import { open } from 'node:fs/promises';
import * as vscode from 'vscode';
import { ScannedImage } from '../core/batch/plan';
import { DoneRecord, emptyRecord, isDone, parseRecord, recordPath, serializeRecord } from '../core/batch/record';
import { sha256 } from '../core/files/hash';
import { readSize, sniffFormat } from '../core/images/format';

/** Every name an image may have, upscalable or not: the plan says why the others are left out. */
const imageGlob = '**/*.{png,jpg,jpeg,jpe,jfif,webp,gif,svg,bmp,tif,tiff,avif,heic,PNG,JPG,JPEG,JPE,JFIF,WEBP,GIF,SVG,BMP,TIF,TIFF,AVIF,HEIC}';
/** Enough for the header of a PNG or WebP and of nearly every JPEG (its size can follow large EXIF or ICC data). */
const headBytes = 64 * 1024;

/**
 * The images below `folder`, their headers read (never decoded): `files.exclude` honoured, and
 * `node_modules` and `.git` left out. `done` comes from the record, for files that have an entry.
 */
export async function scanFolder(folder: vscode.Uri, record: DoneRecord | undefined, token?: vscode.CancellationToken): Promise<ScannedImage[]> {
  const root = vscode.workspace.getWorkspaceFolder(folder);
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, imageGlob), excludes(), undefined, token);
  const images: ScannedImage[] = [];
  // A few at a time: enough to keep the disk busy, few enough to keep memory flat.
  let next = 0;
  const worker = async () => {
    while (next < found.length) {
      const uri = found[next++];
      const path = root ? vscode.workspace.asRelativePath(uri, false) : uri.path;
      images.push(await readHeader(uri, path, record?.images[path] !== undefined ? record : undefined));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return images;
}

async function readHeader(uri: vscode.Uri, path: string, record: DoneRecord | undefined): Promise<ScannedImage> {
  let head: Uint8Array;
  let bytes: number;
  let whole: Uint8Array | undefined;
  if (uri.scheme === 'file') {
    const file = await open(uri.fsPath, 'r');
    try {
      bytes = (await file.stat()).size;
      const buffer = new Uint8Array(Math.min(headBytes, bytes));
      await file.read(buffer, 0, buffer.length, 0);
      head = buffer;
    } finally {
      await file.close();
    }
  } else {
    whole = await vscode.workspace.fs.readFile(uri);
    head = whole;
    bytes = whole.length;
  }
  const format = sniffFormat(head.subarray(0, 512));
  let size = readSize(head);
  if (!size && format === 'jpeg' && bytes > head.length) {
    whole ??= await vscode.workspace.fs.readFile(uri);
    size = readSize(whole);
  }
  let done: boolean | undefined;
  if (record) {
    whole ??= await vscode.workspace.fs.readFile(uri);
    done = isDone(record.images[path], sha256(whole));
  }
  return { path, bytes, format, size, done };
}

/** `files.exclude` as VS Code's search applies it, and the folders no one upscales. */
function excludes(): string {
  const configured = vscode.workspace.getConfiguration('files').get<Record<string, unknown>>('exclude', {});
  const globs = Object.entries(configured)
    .filter(([, on]) => on === true)
    .map(([glob]) => glob);
  return `{${['**/node_modules/**', '**/.git/**', ...globs].join(',')}}`;
}

/** The workspace folder's record of done work, or an empty one. */
export async function readRecord(folder: vscode.WorkspaceFolder): Promise<DoneRecord> {
  const uri = vscode.Uri.joinPath(folder.uri, recordPath);
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return emptyRecord();
  }
  return parseRecord(text);
}

export async function writeRecord(folder: vscode.WorkspaceFolder, record: DoneRecord): Promise<void> {
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder.uri, recordPath), new TextEncoder().encode(serializeRecord(record)));
}
