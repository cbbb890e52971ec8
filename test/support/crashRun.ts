import { join } from 'node:path';

/** The run a crash interrupts (test/integration/crash.*.test.ts), and where its emulator, which outlives the crash, says where it is. */
export const crashRun = { folder: 'crash', names: ['one.png', 'two.jpg', 'three.webp', 'four.png'] };
export const crashEmulatorInfo = (outDir: string) => join(outDir, 'crash-emulator.json');
