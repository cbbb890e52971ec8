import { cpus } from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { conversionFigure } from './conversion';
import { memoryFigure } from './memory';
import { pollingFigures, retryAfterFigure } from './polling';
import { Figure, line, Unmeasured } from './report';
import { benchOut } from './shared';
import { sizeFigures } from './size';
import { uploadFigure } from './upload';
import { vscodeFigures } from './vscode';

/**
 * `npm run bench`: measures the client and the extension against the emulator on 127.0.0.1 and
 * prints one line per figure with its target. All figures go to bench-output/bench-<time>.json and
 * bench-output/latest.json. A missed target is reported, not failed: the exit code is 0 unless a
 * figure could not be measured at all. Names given as arguments (`npm run bench -- upload memory`)
 * measure only the figures whose name starts with one of them.
 */
async function main(): Promise<number> {
  const startedAt = new Date();
  const results: (Figure | Unmeasured)[] = [];
  const only = process.argv.slice(2);
  const measure = async (names: string[], work: () => Promise<Figure | Figure[]>, timeoutMs = 3 * 60_000) => {
    if (only.length > 0 && !names.some((name) => only.some((prefix) => name.startsWith(prefix)))) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no result within ${timeoutMs / 1000} s`)), timeoutMs)));
      const figures = [await Promise.race([work(), timeout])].flat();
      for (const f of figures) {
        results.push(f);
        console.log(line(f));
      }
    } catch (err) {
      for (const name of names) {
        const f: Unmeasured = { name, error: ((err as Error).message ?? String(err)).split('\n')[0] };
        results.push(f);
        console.log(line(f));
      }
    } finally {
      clearTimeout(timer);
    }
  };

  await measure(['bundle', 'vsix'], async () => sizeFigures());
  await measure(['upload'], uploadFigure);
  await measure(['memory'], memoryFigure);
  // Both mostly wait on the emulator's timers; run side by side, each against its own emulator.
  await measure(['polling', 'retry-after'], async () => (await Promise.all([pollingFigures(), retryAfterFigure()])).flat());
  await measure(['conversion to JPEG'], () => conversionFigure('jpeg'));
  await measure(['conversion to WebP'], () => conversionFigure('webp'));
  await measure(['activation', 'scan', 'batch', 'panel'], vscodeFigures, 8 * 60_000);

  const finishedAt = new Date();
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    machine: { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: cpus().length },
    figures: results,
  };
  await mkdir(benchOut, { recursive: true });
  const text = JSON.stringify(report, null, 2) + '\n';
  await writeFile(join(benchOut, `bench-${startedAt.toISOString().replace(/:/g, '-')}.json`), text);
  // latest.json is what later runs compare with: only a run of every figure replaces it.
  if (only.length === 0) await writeFile(join(benchOut, 'latest.json'), text);
  return results.some((r) => 'error' in r) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
