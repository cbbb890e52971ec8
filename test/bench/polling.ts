import { fileToUpload } from '../../src/core/api/uploadBody';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UpscaleClient } from '../../src/core/api/client';
import { TaskTimings } from '../../src/core/api/pollSchedule';
import { gatewayProfile, ServiceProfile } from '../../src/core/api/services';
import { Figure, judge, round } from './report';
import { benchClient, benchKey, benchOut, defaultParams, extensionFetch, fixturesDir, RemoteEmulator, taskQueryPath } from './shared';

const longTaskMs = 10_000;

/**
 * Figure 4: every request one upscale costs (upload, task queries, download) when the task takes
 * 10 s, with the client's default schedule: first with no history (a window's first task), then a
 * second task after the first, as in a batch, where the first query is aimed at the first's time.
 */
export async function pollingFigures(): Promise<Figure[]> {
  const emulator = await RemoteEmulator.start({ key: benchKey, shape: 'task', taskMs: longTaskMs });
  try {
    const client = benchClient({ timings: new TaskTimings() });
    const profile = gatewayProfile(emulator.url, taskQueryPath, benchKey);
    const cold = await oneTask(client, profile, emulator);
    const warm = await oneTask(client, profile, emulator);
    const figure = (name: string, m: Measured, what: string) =>
      judge(
        name,
        `${what}: the end was seen ${round(m.noticedMs / 1000, 2)} s after the upload's answer = ${(m.noticedMs / longTaskMs).toFixed(2)}x the task, with ${m.requests} requests (${m.submits} upload + ${m.taskQueries} ${m.taskQueries === 1 ? 'query' : 'queries'} + ${m.downloads} download)`,
        round(m.noticedMs / longTaskMs, 2),
        'x',
        { op: '<=', limit: 1.15 },
        { ...m, taskMs: longTaskMs },
      );
    return [
      figure('polling, first task', cold, 'a 10 s task, no earlier task'),
      judge('polling requests, first task', `${cold.requests} requests for that task`, cold.requests, 'requests', { op: '<=', limit: 8 }, { ...cold }),
      figure('polling, next task', warm, 'a 10 s task after one like it'),
    ];
  } finally {
    await emulator.stop();
  }
}

interface Measured {
  noticedMs: number;
  requests: number;
  submits: number;
  taskQueries: number;
  downloads: number;
}

async function oneTask(client: UpscaleClient, profile: ServiceProfile, emulator: RemoteEmulator): Promise<Measured> {
  const before = await emulator.stats();
  let answeredAt = 0;
  const outcome = await client.upscale(profile, await fileToUpload(join(fixturesDir, 'photo.jpg'), 'image/jpeg'), defaultParams, {
    onPhase: (phase) => phase === 'waiting' && (answeredAt = performance.now()),
  });
  const noticedMs = round(performance.now() - answeredAt, 1);
  const dir = join(benchOut, 'polling');
  await mkdir(dir, { recursive: true });
  await client.download(outcome.images[0].url, join(dir, 'result.jpg'));
  await rm(join(dir, 'result.jpg'), { force: true });
  const s = await emulator.stats();
  const m = { submits: s.submits - before.submits, taskQueries: s.taskQueries - before.taskQueries, downloads: s.downloads - before.downloads };
  return { noticedMs, requests: m.submits + m.taskQueries + m.downloads, ...m };
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
