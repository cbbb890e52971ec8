import { statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileToUpload } from '../../src/core/api/uploadBody';
import { gatewayProfile } from '../../src/core/api/services';
import { benchClient, benchKey, defaultParams, fixturesDir, taskQueryPath } from './shared';

/**
 * Process of the memory figure (memory.ts), started fresh: submits the file `argv[3]` to the
 * emulator at `argv[2]` and downloads its (large) result into the folder `argv[4]`, then prints its
 * peak RSS before and after as one JSON line.
 */
async function main() {
  const [url, file, workDir] = process.argv.slice(2);
  const peak = () => process.resourceUsage().maxRSS * 1024;
  const atStart = peak();
  const client = benchClient();
  const profile = gatewayProfile(url, taskQueryPath, benchKey);
  // One small upload first, so that what loading fetch and undici costs once is not counted.
  const small = join(fixturesDir, 'logo.png');
  await client.upscale(profile, await fileToUpload(small, 'image/png'), defaultParams);
  const before = peak();
  const outcome = await client.upscale(profile, await fileToUpload(file, 'image/png'), defaultParams);
  const afterUpload = peak();
  const target = join(workDir, 'large-result.png');
  const downloaded = await client.download(outcome.images[0].url, target);
  const after = peak();
  const onDisk = statSync(target).size;
  await rm(target, { force: true });
  return { atStart, before, afterUpload, after, uploadBytes: statSync(file).size, downloadedBytes: downloaded.bytes, onDisk };
}

main().then(
  (figures) => {
    process.stdout.write(JSON.stringify(figures) + '\n', () => process.exit(0));
  },
  (err) => {
    process.stdout.write(JSON.stringify({ error: (err as Error).stack ?? String(err) }) + '\n', () => process.exit(1));
  },
);
