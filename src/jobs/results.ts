import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { variantsTarget } from '../core/api/params';
import { defaultVariants, largestScale } from '../core/files/variants';
import { UpscaleError } from '../core/api/errors';
import { t } from '../core/i18n';
import { DamagedImage } from '../core/images/bytes';
import { exactSizeFor } from '../core/images/exactSize';
import { formatInfo } from '../core/images/format';
import { asReceived } from '../core/images/checkedResult';
import { keptAsItCame } from '../core/images/transparency';
import { damageOf } from '../core/images/integrity';
import { defaultTarget, parseTarget, Target } from '../core/images/target';
import type { ImageWork } from './imageWork';
import { JobRecord, StoredImage } from './jobStore';

/** The job's target size: its own, the largest of its variants, or today's 2x; none for the v2 upscalers, which make the factor asked for. */
export function targetOf(job: JobRecord): Target | undefined {
  if (job.params.model !== undefined) return undefined;
  if (job.params.target === variantsTarget) return { kind: 'scale', factor: largestScale(job.batch?.variants ?? defaultVariants) };
  return (job.params.target && parseTarget(job.params.target)) || defaultTarget;
}

export interface ResultToKeep {
  /** The downloaded file, as it arrived. */
  part: string;
  /** Where it is kept, without the extension its format gives. */
  stem: string;
  /** The job's copy of the original. */
  source: StoredImage;
  /** Which result of which image, for the messages. */
  index: number;
  name: string;
  target: Target | undefined;
  rebuildTransparency: boolean;
}

/**
 * Refuses a result that arrived damaged, gives an opaque one back the original's transparency,
 * compares proportions and resamples it to the target's exact size (on the image worker), then
 * keeps it as `stem` with its real format's extension.
 */
export async function keepResult(images: ImageWork, { part, stem, source, index, name, target, rebuildTransparency }: ResultToKeep) {
  const received = new Uint8Array(await readFile(part));
  // A damaged result says so now, before it can be saved over anything.
  const damaged = (why: string) => new UpscaleError('download', t('Result {0} for {1} arrived damaged: {2}. Nothing was saved.', index + 1, name, why));
  const damage = damageOf(received);
  if (damage) throw damaged(damage);
  const original = new Uint8Array(await readFile(source.path));
  // Where the headers, or a small PNG's alpha, already tell, the worker and its codecs are not started.
  const checked = rebuildTransparency && !(await keptAsItCame(original, received))
    ? await images.run('checkResult', original, received, { rebuildTransparency }).catch((err: Error) => {
        throw err instanceof DamagedImage ? damaged(err.message) : err;
      })
    : asReceived(original, received);
  const exact = target && checked.size && exactSizeFor(original, checked.size, target);
  const bytes = exact ? await images.run('resampleTo', checked.bytes, exact) : checked.bytes;
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

