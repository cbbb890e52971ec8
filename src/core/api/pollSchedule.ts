/**
 * When to ask the service about a task. A query costs nothing but a round trip, and every moment
 * between a task's end and the query that sees it is a moment an image in flight holds one of the
 * organisation's few slots. So the schedule aims at when a task like this one ends, as the
 * service's own timestamps said of the last tasks, and falls back to gaps that grow slowly (half a
 * second more each time) rather than geometrically, which would see a 10 s task only at 13 s.
 */
export interface PollTuning {
  /** The first gap of the cold schedule, in ms. */
  firstMs: number;
  /** How much each gap of the cold schedule grows, in ms. */
  stepMs: number;
  /** The longest gap, in ms. */
  maxMs: number;
}

export const defaultPollTuning: PollTuning = { firstMs: 1000, stepMs: 500, maxMs: 8000 };

/** The waits before each query, from the moment the task was announced. Endless: the caller stops. */
export function* pollDelays(tuning: PollTuning, expectedMs?: number): Generator<number, never> {
  let at = 0;
  if (expectedMs !== undefined && expectedMs > 0) {
    // At the expected end, a few milliseconds on: this clock started when the task was announced,
    // after the service's own. Then two short looks before the cold schedule takes over.
    const aim = Math.round(expectedMs + 5);
    yield aim;
    at = aim;
    for (const share of [0.1, 0.2]) {
      const gap = Math.max(100, Math.round(expectedMs * share));
      yield gap;
      at += gap;
    }
  }
  // The first two a gap apart (most small images are done by then), then each gap a step longer.
  let gap = tuning.firstMs;
  let time = gap;
  for (let n = 0; ; n++) {
    if (time > at) {
      yield time - at;
      at = time;
    }
    if (n > 0) gap = Math.min(gap + tuning.stepMs, tuning.maxMs);
    time += gap;
  }
}

/**
 * How long the service's recent tasks took, by its own `created_at`/`updated_at`, per service
 * address. Kept for the window: the next task is aimed at the lower quartile of the last ones, so
 * most are seen with one query and a few cost one more.
 */
export class TaskTimings {
  private readonly recent = new Map<string, number[]>();

  constructor(private readonly keep = 12) {}

  record(service: string, durationMs: number): void {
    if (!Number.isFinite(durationMs) || durationMs <= 0) return;
    const list = this.recent.get(service) ?? [];
    list.push(durationMs);
    if (list.length > this.keep) list.shift();
    this.recent.set(service, list);
  }

  expected(service: string): number | undefined {
    const list = this.recent.get(service);
    if (!list?.length) return undefined;
    const sorted = [...list].sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) / 4)];
  }
}
