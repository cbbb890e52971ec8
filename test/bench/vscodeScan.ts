import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readRecord, scanFolder } from '../../src/batch/scanFolder';
import { makePlan } from '../../src/core/batch/plan';
import { readSize } from '../../src/core/images/format';
import { readSettings } from '../../src/settings';

export const scanFolderName = 'scan';
const rounds = 5;

export interface ScanMeasured {
  found: number;
  candidates: number;
  skipped: Record<string, number>;
  /** Each round: the folder command's scan to a ready plan, then the plain loop, in ms. */
  oursMs: number[];
  plainMs: number[];
}

/**
 * What the folder command does before it shows its plan (the record read, the scan, the plan's
 * rules), against a plain loop that lists the same folder with readdir and reads the same headers.
 * The plain loop runs once first, so both find the files in the disk cache.
 */
export async function scanFigures(root: vscode.WorkspaceFolder): Promise<ScanMeasured> {
  const folder = vscode.Uri.joinPath(root.uri, scanFolderName);
  const settings = readSettings();
  const rules = { maxLongSide: settings.folder.largeImageLongSide, minLongSide: settings.folder.smallImageLongSide, maxUploadBytes: settings.maxUploadBytes, fileNamePattern: settings.fileNamePattern };
  await plainScan(folder.fsPath);
  const oursMs: number[] = [];
  const plainMs: number[] = [];
  let plan: ReturnType<typeof makePlan> | undefined;
  // Each goes first in every other round: whatever else the window does early on (its own
  // extensions starting, the explorer) then weighs on both alike.
  const ours = async () => {
    const started = performance.now();
    const record = await readRecord(root);
    plan = makePlan(await scanFolder(folder, record), rules);
    oursMs.push(performance.now() - started);
  };
  const plainRound = async () => {
    const started = performance.now();
    const plain = await plainScan(folder.fsPath);
    plainMs.push(performance.now() - started);
    return plain;
  };
  for (let i = 0; i < rounds; i++) {
    let plain: number;
    if (i % 2 === 0) {
      await ours();
      plain = await plainRound();
    } else {
      plain = await plainRound();
      await ours();
    }
    if (plain !== plan!.candidates.length + plan!.skipped.length) throw new Error(`the plain loop read ${plain} images, the scan ${plan!.candidates.length + plan!.skipped.length}`);
  }
  const skipped: Record<string, number> = {};
  for (const s of plan!.skipped) skipped[s.reason] = (skipped[s.reason] ?? 0) + 1;
  return { found: plan!.candidates.length + plan!.skipped.length, candidates: plan!.candidates.length, skipped, oursMs, plainMs };
}

/** Every image file below `dir` and the size in its first 64 KB, eight files at a time. */
async function plainScan(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && /\.(png|jpe?g|webp)$/i.test(e.name)).map((e) => join(e.parentPath, e.name));
  let next = 0;
  let sized = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = await open(files[next++], 'r');
      try {
        const size = (await file.stat()).size;
        const head = new Uint8Array(Math.min(64 * 1024, size));
        await file.read(head, 0, head.length, 0);
        if (readSize(head)) sized++;
      } finally {
        await file.close();
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  if (sized !== files.length) throw new Error(`the plain loop sized ${sized} of ${files.length} images`);
  return files.length;
}
