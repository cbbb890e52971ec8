import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { sha256 } from '../core/files/hash';
import { variantPath, VariantRule } from '../core/files/variants';
import { t } from '../core/i18n';
import type { MetadataMode } from '../core/images/metadata';
import { exists, readBytes, writeAtomic } from './fileAccess';
import type { ImageWork } from './imageWork';
import { JobRecord, ResultRecord } from './jobStore';
import { OutputError, replaceTarget, UndoRecord, withMetadata } from './outputs';

/** One file a variants run writes from a result: where, at what scale, and whether it is there already. */
export interface PlannedVariant {
  uri: vscode.Uri;
  rule: VariantRule;
  exists: boolean;
}

/**
 * Where each variant of the job's image goes. Every place must be inside the workspace (a link
 * out of it is refused, as for a replace); the base image itself is never a variant.
 */
export async function planVariants(job: JobRecord, rules: readonly VariantRule[]): Promise<PlannedVariant[]> {
  const planned: PlannedVariant[] = [];
  for (const rule of rules) {
    const uri = job.source.with({ path: variantPath(job.source.path, rule) });
    if (uri.toString() === job.source.toString()) throw new OutputError(t('The variant pattern {0} names the image itself; change "ideogramUpscale.variants".', rule.pattern));
    planned.push({ uri: await replaceTarget(uri), rule, exists: await exists(uri) });
  }
  return planned;
}

export interface VariantOptions {
  jpegQuality: number;
  metadata: MetadataMode;
  images: ImageWork;
}

/**
 * Writes one variant: the result resampled to the rule's exact size of the original (jSquash's
 * Lanczos-3), in the original's format, with its colour profile and orientation as a replace
 * keeps them. A new file is written only if its name is still free; an existing one only when
 * `overwrite` (the user confirmed), its bytes kept first in the job's folder: the undo record
 * that is returned puts them back.
 */
export async function writeVariant(job: JobRecord, result: ResultRecord, variant: PlannedVariant, overwrite: boolean, options: VariantOptions): Promise<UndoRecord | undefined> {
  const stored = result.stored;
  const copy = job.sourceCopy;
  if (!stored || !copy) throw new OutputError(t('This result was withheld by the service; there is nothing to save.'));
  const name = variant.uri.path.slice(variant.uri.path.lastIndexOf('/') + 1);
  // Loaded on first use only: the codecs are a bundle of their own (dist/codecs.js).
  const { exactSizeFor } = require('../core/images/exactSize') as typeof import('../core/images/exactSize');
  const original = new Uint8Array(await readFile(copy.path));
  const size = stored.size && exactSizeFor(original, stored.size, { kind: 'scale', factor: variant.rule.scale });
  if (!size) {
    throw new OutputError(t('The service cropped or padded {0}: its proportions changed, so {1} was not written. Use "Save next to original" to keep the result.', job.source.path.slice(job.source.path.lastIndexOf('/') + 1), name));
  }
  const resized = await options.images.run('resampleTo', new Uint8Array(await readFile(stored.path)), size, options.jpegQuality);
  const bytes = await withMetadata(job, await options.images.run('convertImage', resized, copy.format, { quality: options.jpegQuality }), options.metadata, options.images);
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(variant.uri, '..'));
  const before = overwrite ? await readBytes(variant.uri).catch(() => undefined) : undefined;
  if (!before) {
    // New, or gone since it was asked about: nothing to keep, and a name taken meanwhile is left alone.
    if (!(await writeAtomic(variant.uri, bytes, false))) throw new OutputError(t('{0} appeared meanwhile, so it was not overwritten.', name));
    return undefined;
  }
  const backup = join(job.dir, `variant-${variant.rule.scale}x-${Date.now().toString(36)}-before`);
  await writeFile(backup, before);
  await writeAtomic(variant.uri, bytes, true);
  return { source: variant.uri.toString(), backup, written: sha256(bytes), jobId: job.id, resultId: result.id, at: Date.now(), batch: job.batch?.id };
}
