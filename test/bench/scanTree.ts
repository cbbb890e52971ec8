import { existsSync } from 'node:fs';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCodecs } from '../../src/core/images/codecs';

export const scanImages = 5000;
const sides = [24, 96, 320, 700, 1400];
const formats = ['png', 'jpeg', 'webp'] as const;
const ext = { png: 'png', jpeg: 'jpg', webp: 'webp' };

/**
 * The bench's workspace: the test fixtures plus `scan/`, 5,000 small generated images (PNG, JPEG
 * and WebP of five sizes, some below the plan's minimum) in 50 folders of 100. Made once: a marker
 * says the tree is complete.
 */
export async function benchWorkspace(fixtures: string, dir: string): Promise<string> {
  const marker = join(dir, '.complete');
  if (existsSync(marker)) return dir;
  await rm(dir, { recursive: true, force: true });
  await cp(fixtures, dir, { recursive: true });
  const codecs = await loadCodecs();
  const templates: { ext: string; bytes: Uint8Array }[] = [];
  for (const side of sides) {
    const data = new Uint8ClampedArray(side * side * 4);
    for (let i = 0; i < side * side; i++) {
      const x = i % side;
      const y = Math.floor(i / side);
      data.set([(x * 255) / side, (y * 255) / side, 128, 255], i * 4);
    }
    for (const format of formats) templates.push({ ext: ext[format], bytes: await codecs.encode({ width: side, height: side, data }, format) });
  }
  for (let i = 0; i < scanImages; i++) {
    const folder = join(dir, 'scan', `group-${String(Math.floor(i / 100)).padStart(2, '0')}`);
    if (i % 100 === 0) await mkdir(folder, { recursive: true });
    const t = templates[i % templates.length];
    await writeFile(join(folder, `image-${String(i).padStart(4, '0')}.${t.ext}`), t.bytes);
  }
  await writeFile(marker, '');
  return dir;
}
