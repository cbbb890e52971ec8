import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { sha256 } from '../core/files/hash';
import { outputName } from '../core/files/naming';
import { t } from '../core/i18n';
import { isEnlargement } from '../core/images/aspect';
import { formatInfo, UpscalableFormat } from '../core/images/format';
import type { MetadataMode } from '../core/images/metadata';
import { exists, readBytes, realLocation, writeAtomic } from './fileAccess';
import type { ImageWork } from './imageWork';
import { JobRecord, ResultRecord } from './jobStore';

/** What to do with a finished result; files are read and written through fileAccess.ts. */

export class OutputError extends Error {}

/** Saves a copy beside the original under the first free name of the pattern; never overwrites. */
export async function saveNextToOriginal(job: JobRecord, result: ResultRecord, pattern: string, metadata: MetadataMode, images: ImageWork): Promise<vscode.Uri> {
  const stored = storedOf(result);
  const source = job.source;
  const folder = vscode.Uri.joinPath(source, '..');
  const sourceName = source.path.slice(source.path.lastIndexOf('/') + 1);
  const dot = sourceName.lastIndexOf('.');
  const stem = dot > 0 ? sourceName.slice(0, dot) : sourceName;
  // The source's own spelling of its extension is kept when the format is unchanged (.JPEG stays .JPEG).
  const ext = stored.format === job.sourceCopy?.format && dot > 0 ? sourceName.slice(dot + 1) : formatInfo[stored.format].ext;
  const bytes = await withMetadata(job, await readFile(stored.path), metadata, images);
  for (let n = 1; n < 1000; n++) {
    const target = vscode.Uri.joinPath(folder, outputName(stem, ext, n, pattern));
    if (await exists(target)) continue;
    if (await writeAtomic(target, bytes, false)) return target;
  }
  throw new OutputError(t('No free file name for {0}.', outputName(stem, ext, 1, pattern)));
}

/** Saves a copy where the user says, with the original's metadata as the other saves keep it. */
export async function saveAs(job: JobRecord, result: ResultRecord, metadata: MetadataMode, images: ImageWork): Promise<vscode.Uri | undefined> {
  const stored = storedOf(result);
  const { ext } = formatInfo[stored.format];
  const stem = job.source.path.slice(job.source.path.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(job.source, '..', `${stem}@upscaled.${ext}`),
    filters: { [stored.format.toUpperCase()]: [ext] },
    title: vscode.l10n.t('Save upscaled image as'),
  });
  if (!target) return undefined;
  await writeAtomic(target, await withMetadata(job, await readFile(stored.path), metadata, images), true);
  return target;
}

export interface ReplaceOptions {
  jpegQuality: number;
  keepOriginalSize: boolean;
  metadata: MetadataMode;
  replaceWhenAspectDiffers: boolean;
  images: ImageWork;
}

export interface UndoRecord {
  source: string;
  /** The original's bytes as they were, in the extension's storage. */
  backup: string;
  /** SHA-256 of what the replace wrote: undo refuses when the file changed since. */
  written: string;
  jobId: string;
  resultId: string;
  at: number;
  /** The run it was made in: "Undo Last Replace" and the run's "Undo All" undo all of its records at once. */
  batch?: string;
}

/**
 * Replaces the original in place, keeping its path and its format. Refuses when the file changed
 * since it was uploaded. The original's bytes stay in the job's storage folder for undo.
 */
export async function replaceOriginal(job: JobRecord, result: ResultRecord, options: ReplaceOptions): Promise<UndoRecord> {
  const stored = storedOf(result);
  const copy = job.sourceCopy;
  if (!copy || !job.sourceHash) throw new OutputError(t('The original of this job was not kept; save a copy instead.'));
  const name = job.source.path.slice(job.source.path.lastIndexOf('/') + 1);
  if (result.aspectMatches === false && !options.replaceWhenAspectDiffers) {
    const from = `${copy.size?.width}×${copy.size?.height}`;
    const to = `${stored.size?.width}×${stored.size?.height}`;
    throw new OutputError(
      t('The service cropped or padded {0} (from {1} to {2}): its proportions changed, so it was not replaced. Use "Save next to original", or allow it with "ideogramUpscale.replaceWhenAspectDiffers".', name, from, to),
    );
  }
  if (copy.size && stored.size && !isEnlargement(copy.size, stored.size)) {
    throw new OutputError(
      t('The service returned {0} at {1}, no larger than the original ({2}): that is not an upscale, so it was not replaced. Run the upscale again; "Save next to original" keeps this result beside it.', name, `${stored.size.width}×${stored.size.height}`, `${copy.size.width}×${copy.size.height}`),
    );
  }
  const target = await replaceTarget(job.source);
  let current: Uint8Array;
  try {
    current = await readBytes(job.source);
  } catch {
    throw new OutputError(t('{0} no longer exists; use "Save as…" to keep the result.', name));
  }
  if (sha256(current) !== job.sourceHash) {
    throw new OutputError(t('{0} changed on disk since it was upscaled, so it was not replaced. Use "Save next to original" to keep both.', name));
  }
  const bytes = await withMetadata(job, await replacementBytes(copy.format, copy.size, stored, options), options.metadata, options.images);
  await writeAtomic(target, bytes, true);
  return { source: job.source.toString(), backup: copy.path, written: sha256(bytes), jobId: job.id, resultId: result.id, at: Date.now() };
}

/**
 * Where a replace of `source` writes: the file the user sees, through a symbolic link too, but
 * only inside a workspace folder. A link out of the workspace (to a shared asset, a system file)
 * is not followed, and replacing the link itself would silently fork the file.
 */
export async function replaceTarget(source: vscode.Uri): Promise<vscode.Uri> {
  const { real, inside } = await realLocation(source);
  if (inside) return real;
  const name = source.path.slice(source.path.lastIndexOf('/') + 1);
  if (real.toString() !== source.toString()) {
    throw new OutputError(t('{0} is a link to {1}, outside the workspace folders, so it was not replaced. Use "Save next to original" to keep the result.', name, real.fsPath));
  }
  throw new OutputError(t('{0} is outside the workspace folders, so it was not replaced. Open its folder in the workspace, or use "Save next to original" to keep the result.', name));
}

/** The result in the original's format (and, if asked, at the original's size). */
async function replacementBytes(format: UpscalableFormat, size: { width: number; height: number } | undefined, stored: NonNullable<ResultRecord['stored']>, options: ReplaceOptions): Promise<Uint8Array> {
  const bytes = new Uint8Array(await readFile(stored.path));
  const resize = options.keepOriginalSize && size && (stored.size?.width !== size.width || stored.size?.height !== size.height);
  if (stored.format === format && !resize) return bytes;
  return options.images.run('convertImage', bytes, format, { quality: options.jpegQuality, resizeTo: resize ? size : undefined });
}

/** The original's colour profile (and, as set, its other metadata) on a result of its format. */
export async function withMetadata(job: JobRecord, bytes: Uint8Array, mode: MetadataMode, images: ImageWork): Promise<Uint8Array> {
  if (!job.sourceCopy) return bytes;
  return images.run('withOriginalMetadata', new Uint8Array(await readFile(job.sourceCopy.path)), bytes, mode);
}

/** Puts the original's bytes back, byte for byte. */
export async function undoReplace(record: UndoRecord): Promise<vscode.Uri> {
  const target = vscode.Uri.parse(record.source);
  const name = target.path.slice(target.path.lastIndexOf('/') + 1);
  let current: Uint8Array | undefined;
  try {
    current = await readBytes(target);
  } catch {
    current = undefined; // deleted since: restoring it loses nothing
  }
  if (current && sha256(current) !== record.written) {
    throw new OutputError(t('{0} changed since it was replaced; undo would overwrite those changes, so it was not done.', name));
  }
  await writeAtomic(await replaceTarget(target), await readFile(record.backup), true);
  return target;
}

function storedOf(result: ResultRecord): NonNullable<ResultRecord['stored']> {
  if (!result.stored) throw new OutputError(t('This result was withheld by the service; there is nothing to save.'));
  return result.stored;
}

