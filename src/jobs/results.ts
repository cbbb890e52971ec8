import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { variantsTarget } from '../core/api/params';
import { defaultVariants, largestScale } from '../core/files/variants';
import { formatInfo } from '../core/images/format';
import { defaultTarget, parseTarget, Target } from '../core/images/target';
import { JobRecord, StoredImage } from './jobStore';

/** The job's target size: its own, the largest of its variants, or today's 2x. */
export function targetOf(job: JobRecord): Target {
  if (job.params.target === variantsTarget) return { kind: 'scale', factor: largestScale(job.batch?.variants ?? defaultVariants) };
  return (job.params.target && parseTarget(job.params.target)) || defaultTarget;
}

/**
 * Gives an opaque result back the original's transparency, compares proportions and resamples it
 * to the target's exact size, then keeps it as `stem` with its real format's extension. The
 * codecs load here, on first use.
 */
export async function keepResult(source: StoredImage, stem: string, part: string, target: Target, rebuildTransparency: boolean) {
  const { checkResult } = require('../core/images/resultChecks') as typeof import('../core/images/resultChecks');
  const { exactSizeFor, resampleTo } = require('../core/images/exactSize') as typeof import('../core/images/exactSize');
  const original = await readFile(source.path);
  const checked = await checkResult(original, await readFile(part), { rebuildTransparency });
  const exact = checked.size && exactSizeFor(original, checked.size, target);
  const bytes = exact ? await resampleTo(checked.bytes, exact) : checked.bytes;
  const path = `${stem}.${formatInfo[checked.format].ext}`;
  if (bytes !== checked.bytes || checked.alphaRebuilt) {
    await writeFile(path, bytes);
    await rm(part, { force: true });
  } else {
    await rename(part, path);
  }
  const stored: StoredImage = { path, format: checked.format, bytes: bytes.length, size: exact ?? checked.size };
  return { stored, alphaRebuilt: checked.alphaRebuilt, alphaUnaligned: checked.alphaUnaligned, aspectMatches: checked.aspect?.matches };
}
