import { fileToUpload } from '../../src/core/api/uploadBody';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gatewayProfile } from '../../src/core/api/services';
import { Figure, judge, round } from './report';
import { benchClient, benchKey, benchOut, defaultParams, extensionFetch, fixturesDir, RemoteEmulator, taskQueryPath } from './shared';

const longTaskMs = 10_000;

/**
 * Figure 4: every request one upscale costs (upload, task queries, download) when the task takes
 * 10 s, with the client's default polling schedule.
 */
export async function pollingFigure(): Promise<Figure> {
  const emulator = await RemoteEmulator.start({ key: benchKey, shape: 'task', taskMs: longTaskMs });
  try {
    const client = benchClient();
    const profile = gatewayProfile(emulator.url, taskQueryPath, benchKey);
    let answeredAt = 0;
    const outcome = await client.upscale(profile, await fileToUpload(join(fixturesDir, 'photo.jpg'), 'image/jpeg'), defaultParams, {
      onPhase: (phase) => phase === 'waiting' && (answeredAt = performance.now()),
    });
    const noticed = performance.now() - answeredAt;
    const dir = join(benchOut, 'polling');
    await mkdir(dir, { recursive: true });
    await client.download(outcome.images[0].url, join(dir, 'result.jpg'));
    await rm(join(dir, 'result.jpg'), { force: true });
    const s = await emulator.stats();
    const total = s.submits + s.taskQueries + s.downloads;
    return judge(
      'polling (default poll 1000/1.5/8000 ms)',
      `${total} requests for one 10 s task (${s.submits} upload + ${s.taskQueries} queries + ${s.downloads} download); the end was seen ${round(noticed / 1000, 2)} s after the upload's answer`,
      total,
      'requests',
      { op: '<=', limit: 8 },
      { submits: s.submits, taskQueries: s.taskQueries, downloads: s.downloads, taskMs: longTaskMs, noticedAfterMs: round(noticed, 1), lateByMs: round(noticed - longTaskMs, 1) },
    );
  } finally {
    await emulator.stop();
  }
}

/**
 * Figure 4b: after a task query is answered 429 with `Retry-After: 2`, the client waits at least
 * 2 s before the next query. The first two queries are refused; the gaps are timed at the client,
 * from the 429's arrival to the next query's start.
 */
export async function retryAfterFigure(): Promise<Figure> {
  const refused = 2;
  const emulator = await RemoteEmulator.start({ key: benchKey, shape: 'task', taskMs: 1000, rateLimitQueries: refused, queryRetryAfterSeconds: 2 });
  try {
    const log: { start: number; end: number; status: number }[] = [];
    const base = extensionFetch();
    const client = benchClient({
      fetch: async (input, init) => {
        const isQuery = (init?.method ?? 'GET') === 'GET' && String(input).includes('/ideogram/upscale/');
        const start = performance.now();
        const response = await base(input, init);
        if (isQuery) log.push({ start, end: performance.now(), status: response.status });
        return response;
      },
    });
    const profile = gatewayProfile(emulator.url, taskQueryPath, benchKey);
    await client.upscale(profile, await fileToUpload(join(fixturesDir, 'photo.jpg'), 'image/jpeg'), defaultParams);
    const gaps = log.flatMap((q, i) => (q.status === 429 && log[i + 1] ? [log[i + 1].start - q.end] : []));
    if (gaps.length !== refused) throw new Error(`expected ${refused} refused queries each followed by another, saw ${JSON.stringify(log.map((q) => q.status))}`);
    const least = Math.min(...gaps) / 1000;
    return judge(
      'retry-after',
      `after 429 with Retry-After: 2 the next query came ${gaps.map((g) => round(g / 1000, 2)).join(' s and ')} s later (${log.length} queries: ${log.map((q) => q.status).join(', ')})`,
      round(least, 2),
      's',
      { op: '>=', limit: 2 },
      { gapsMs: gaps.map((g) => round(g, 1)), statuses: log.map((q) => q.status) },
    );
  } finally {
    await emulator.stop();
  }
}
