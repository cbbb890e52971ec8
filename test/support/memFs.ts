import * as vscode from 'vscode';

type Entry = { kind: 'file'; bytes: Uint8Array; mtime: number; ctime: number } | { kind: 'dir'; mtime: number; ctime: number };

/**
 * A file system kept in memory, for a workspace folder whose files are not on disk (as with a
 * remote or virtual file system): only `workspace.fs` reaches them.
 */
export class MemoryFileSystem implements vscode.FileSystemProvider {
  private readonly entries = new Map<string, Entry>([['/', { kind: 'dir', mtime: Date.now(), ctime: Date.now() }]]);
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;

  constructor(readonly scheme: string) {}

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const e = this.entry(uri);
    return { type: e.kind === 'dir' ? vscode.FileType.Directory : vscode.FileType.File, ctime: e.ctime, mtime: e.mtime, size: e.kind === 'file' ? e.bytes.length : 0 };
  }

  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    if (this.entry(uri).kind !== 'dir') throw vscode.FileSystemError.FileNotADirectory(uri);
    const prefix = uri.path === '/' ? '/' : `${uri.path}/`;
    return [...this.entries]
      .filter(([path]) => path !== '/' && path.startsWith(prefix) && !path.slice(prefix.length).includes('/'))
      .map(([path, e]) => [path.slice(prefix.length), e.kind === 'dir' ? vscode.FileType.Directory : vscode.FileType.File]);
  }

  createDirectory(uri: vscode.Uri): void {
    this.parentOf(uri);
    this.entries.set(uri.path, { kind: 'dir', mtime: Date.now(), ctime: Date.now() });
    this.changes.fire([{ type: vscode.FileChangeType.Created, uri }]);
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const e = this.entry(uri);
    if (e.kind !== 'file') throw vscode.FileSystemError.FileIsADirectory(uri);
    return e.bytes;
  }

  writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): void {
    const existing = this.entries.get(uri.path);
    if (existing?.kind === 'dir') throw vscode.FileSystemError.FileIsADirectory(uri);
    if (!existing && !options.create) throw vscode.FileSystemError.FileNotFound(uri);
    if (existing && !options.overwrite) throw vscode.FileSystemError.FileExists(uri);
    this.parentOf(uri);
    this.entries.set(uri.path, { kind: 'file', bytes: content.slice(), mtime: Date.now(), ctime: existing?.ctime ?? Date.now() });
    this.changes.fire([{ type: existing ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri }]);
  }

  delete(uri: vscode.Uri): void {
    this.entry(uri);
    for (const path of [...this.entries.keys()]) if (path === uri.path || path.startsWith(`${uri.path}/`)) this.entries.delete(path);
    this.changes.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
  }

  rename(from: vscode.Uri, to: vscode.Uri, options: { overwrite: boolean }): void {
    const e = this.entry(from);
    if (this.entries.has(to.path) && !options.overwrite) throw vscode.FileSystemError.FileExists(to);
    this.parentOf(to);
    this.entries.delete(from.path);
    this.entries.set(to.path, e);
    this.changes.fire([{ type: vscode.FileChangeType.Deleted, uri: from }, { type: vscode.FileChangeType.Created, uri: to }]);
  }

  private entry(uri: vscode.Uri): Entry {
    const e = this.entries.get(uri.path);
    if (!e) throw vscode.FileSystemError.FileNotFound(uri);
    return e;
  }

  private parentOf(uri: vscode.Uri): void {
    const parent = uri.path.slice(0, uri.path.lastIndexOf('/')) || '/';
    if (this.entries.get(parent)?.kind !== 'dir') throw vscode.FileSystemError.FileNotFound(uri.with({ path: parent }));
  }
}
