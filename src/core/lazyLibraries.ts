import type * as Libraries from './libraries';

let loaded: typeof Libraries | undefined;

/** picomatch and jsonc-parser, loaded the first time they are asked for (see libraries.ts). */
export function libraries(): typeof Libraries {
  return (loaded ??= require('./libraries') as typeof Libraries);
}
