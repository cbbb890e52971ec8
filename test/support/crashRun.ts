import { join } from 'node:path';

/** The run a crash interrupts (test/integration/crash.*.test.ts), and where its emulator, which outlives the crash, says where it is. */
export const crashRun = { folder: 'crash', names: ['one.png', 'two.jpg', 'three.webp', 'four.png'] };
/** A generation of Ideogram's current upscalers that the same crash interrupts, at the same emulator. */
export const crashV2Run = { folder: 'crash-v2', name: 'logo.png' };
export const crashEmulatorInfo = (outDir: string) => join(outDir, 'crash-emulator.json');
