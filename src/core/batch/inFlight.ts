/**
 * The service counts images in flight per organisation (Ideogram: 10), and `num_images` counts
 * each result. One limiter for the whole window, shared by every batch and single upscale, hands
 * out room counted in images; a 429 that says `inflight_limit` narrows it for a while.
 */
export class InFlightLimit {
  private used = 0;
  private narrowedUntil = 0;
  private narrowed = 0;
  private readonly waiting: { images: number; resolve: () => void }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private limit: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Room there is now: the limit, or the narrowed one while it holds. */
  get window(): number {
    const full = Math.max(1, this.limit());
    return this.now() < this.narrowedUntil ? Math.min(full, this.narrowed) : full;
  }

  get inFlight(): number {
    return this.used;
  }

  /**
   * Waits for room for `images` (a request larger than the whole window waits until nothing else
   * is in flight, then goes alone); settles with a release to call once the service has answered.
   */
  acquire(images: number, signal?: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      let released = false;
      const grant = () => {
        this.used += images;
        resolve(() => {
          if (released) return;
          released = true;
          this.used -= images;
          this.pump();
        });
      };
      const entry = {
        images,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          grant();
        },
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(entry);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal?.reason);
        this.pump();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
      this.pump();
    });
  }

  /**
   * The service refused for too many in flight: for `forMs`, allow one image less than were in
   * flight when it said so (at least one).
   */
  narrow(forMs = 30_000): void {
    this.narrowed = Math.max(1, Math.min(this.window, this.used) - 1);
    this.narrowedUntil = this.now() + forMs;
    clearTimeout(this.timer);
    // When the narrowing ends, whoever waits gets the room back.
    this.timer = setTimeout(() => this.pump(), forMs + 1);
    this.timer.unref?.();
  }

  /** First come, first served: a large request at the head is not overtaken by small ones. */
  private pump(): void {
    while (this.waiting.length) {
      const head = this.waiting[0];
      const fits = this.used + head.images <= this.window || this.used === 0;
      if (!fits) return;
      this.waiting.shift();
      head.resolve();
    }
  }
}
