import { createHash } from 'node:crypto';

/** What tells "the same bytes" apart from "changed since": replace, undo and the record of done files. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
