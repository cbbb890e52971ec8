import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { UpscaleSummary } from '../../src/commands/upscale';
import { env, ui } from '../support/handshake';
import { workspaceFile } from './helpers';

/** Every file of the workspace with its hash: what a fault must leave exactly as it was. */
export async function snapshot(): Promise<Map<string, string>> {
  const root = workspaceFile('').fsPath;
  const files = new Map<string, string>();
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.set(path.slice(root.length), createHash('sha256').update(await readFile(path)).digest('hex'));
    }
  };
  await walk(root);
  return files;
}

export function damaged(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed = [...after].filter(([path, hash]) => before.get(path) !== hash).map(([path]) => path);
  const removed = [...before.keys()].filter((path) => !after.has(path));
  return [...changed, ...removed];
}

/** Every text the extension wrote where a user (or a log collector) can see it. */
export async function everythingShown(summaries: UpscaleSummary[]): Promise<string> {
  const texts = [JSON.stringify(summaries)];
  if (env.userDataDir) {
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (/\.(log|json)$/.test(entry.name) && (await stat(path)).size < 20_000_000) texts.push(await readFile(path, 'utf8'));
      }
    };
    await walk(join(env.userDataDir, 'logs'));
    await walk(join(env.userDataDir, 'User'));
  }
  if (env.canScreenshot) {
    await ui([
      { textOf: 'body', frame: 'panel', file: 'panel-text.txt' },
      { textOf: '.notifications-toasts', file: 'notifications-text.txt' },
    ]);
    texts.push(await readFile(join(env.outDir, 'panel-text.txt'), 'utf8'), await readFile(join(env.outDir, 'notifications-text.txt'), 'utf8'));
  }
  return texts.join('\n');
}
