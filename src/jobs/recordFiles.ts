import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes each job's `job.json` in its folder, through a temporary file and a rename: a crash leaves
 * the old record or the new, never half of one. One write at a time per record, in the order of
 * the changes; a record is written as it is when its turn comes, so the changes of one moment (a
 * task's id and its phase, a result and the job's end) and those made while the last write went on
 * are one write. Every call settles once what it asked for is on disk.
 */
export class RecordFiles {
  /** The newest write of each record, begun or not. */
  private readonly writes = new Map<string, Promise<void>>();
  /** Records whose newest write has not begun: a change now is written by it too. */
  private readonly waiting = new Set<string>();

  constructor(private readonly warn: (line: string) => void) {}

  /** A new record's folder, made before its first write. */
  create(id: string, dir: string, text: () => string): Promise<void> {
    const made = mkdir(dir, { recursive: true }).then(
      () => undefined,
      () => undefined,
    );
    this.writes.set(id, made);
    return this.save(id, dir, text);
  }

  /** Writes `text()` as it is when this record's turn comes. */
  save(id: string, dir: string, text: () => string): Promise<void> {
    if (!this.waiting.has(id)) {
      const previous = this.writes.get(id) ?? Promise.resolve();
      const write = previous.then(() => {
        this.waiting.delete(id);
        return this.writeFile(id, dir, text());
      });
      this.waiting.add(id);
      this.writes.set(id, write);
      void write.then(() => {
        if (this.writes.get(id) === write) this.writes.delete(id);
      });
    }
    return this.settled(id);
  }

  /**
   * Writes `text()` before it settles, at once and not through the thread pool, once the writes
   * already asked for are done (else they would land after it). For the one record that must be on
   * disk before a request leaves while a slot of the service waits: a file of a few hundred bytes.
   */
  async now(id: string, dir: string, text: () => string): Promise<void> {
    await this.settled(id);
    const temp = join(dir, 'job.json.part');
    const content = text();
    try {
      try {
        writeFileSync(temp, content);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        mkdirSync(dir, { recursive: true });
        writeFileSync(temp, content);
      }
      renameSync(temp, join(dir, 'job.json'));
    } catch (err) {
      this.warn(`could not record job ${id}: ${(err as Error).message}`);
    }
  }

  /** Settles when everything asked for this record so far is on disk. */
  async settled(id: string): Promise<void> {
    await this.writes.get(id);
  }

  /** Settles when everything asked for so far is on disk. */
  async flushed(): Promise<void> {
    await Promise.all(this.writes.values());
  }

  private async writeFile(id: string, dir: string, text: string): Promise<void> {
    try {
      const temp = join(dir, 'job.json.part');
      // The folder is made by `create`, or here if it went since: a batch writes each record several times.
      await writeFile(temp, text).catch(async (err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
        await mkdir(dir, { recursive: true });
        await writeFile(temp, text);
      });
      await rename(temp, join(dir, 'job.json'));
    } catch (err) {
      this.warn(`could not record job ${id}: ${(err as Error).message}`);
    }
  }
}
