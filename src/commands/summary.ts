import * as vscode from 'vscode';
import { summaryMarkdown, SummaryJob } from '../core/summary/markdown';
import { JobRecord, JobStore, StoredImage } from '../jobs/jobStore';
import { isEnded } from '../shared/jobState';

interface Run {
  id: string;
  label: string;
  startedAt: number;
  jobs: JobRecord[];
}

/**
 * "Copy Upscale Summary" and "Open Upscale Summary as Markdown": a Markdown table of one run or
 * of the runs the user picks (the newest is picked already), for a pull request. Each takes the
 * runs' ids as its argument too, and returns the Markdown.
 */
export function summaryCommands(jobs: JobStore) {
  const markdown = async (ids: unknown): Promise<string | undefined> => {
    await jobs.loadHistory();
    const runs = runsOf(jobs.jobs);
    // Runs named by their id, or by the id of one of their jobs (what the upscale command returns).
    const wanted = Array.isArray(ids) ? runs.filter((r) => ids.includes(r.id) || r.jobs.some((j) => ids.includes(j.id))) : await pickRuns(runs);
    if (!wanted?.length) return undefined;
    return summaryMarkdown(wanted.flatMap((r) => r.jobs).map(summaryJob));
  };
  return {
    copy: async (ids?: unknown): Promise<string | undefined> => {
      const text = await markdown(ids);
      if (text === undefined) return undefined;
      await vscode.env.clipboard.writeText(text);
      const open = vscode.l10n.t('Open as Markdown');
      void vscode.window.showInformationMessage(vscode.l10n.t('The upscale summary is copied; paste it into the pull request.'), open).then((choice) => {
        if (choice === open) void openMarkdown(text);
      });
      return text;
    },
    open: async (ids?: unknown): Promise<string | undefined> => {
      const text = await markdown(ids);
      if (text !== undefined) await openMarkdown(text);
      return text;
    },
  };
}

async function openMarkdown(content: string): Promise<void> {
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content }));
}

/** The ended jobs by run, newest run first; a job of no run is a run of its own. */
function runsOf(all: readonly JobRecord[]): Run[] {
  const runs = new Map<string, Run>();
  for (const job of all.filter((j) => isEnded(j.state))) {
    const id = job.batch?.id ?? job.id;
    const run = runs.get(id) ?? { id, label: job.batch?.label ?? baseName(job.source), startedAt: job.startedAt, jobs: [] };
    run.jobs.push(job);
    run.startedAt = Math.min(run.startedAt, job.startedAt);
    runs.set(id, run);
  }
  return [...runs.values()].sort((a, b) => b.startedAt - a.startedAt);
}

async function pickRuns(runs: Run[]): Promise<Run[] | undefined> {
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There is no finished upscale to summarize yet.'));
    return undefined;
  }
  if (runs.length === 1) return runs;
  const items = runs.map((run) => ({
    label: run.label,
    description: run.jobs.length === 1 ? vscode.l10n.t('1 image · {0}', when(run)) : vscode.l10n.t('{0} images · {1}', run.jobs.length, when(run)),
    picked: run === runs[0],
    run,
  }));
  const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: vscode.l10n.t('Runs to summarize'), ignoreFocusOut: true });
  return picked?.map((i) => i.run);
}

function when(run: Run): string {
  return new Date(run.startedAt).toLocaleString(vscode.env.language);
}

function summaryJob(job: JobRecord): SummaryJob {
  const stored = job.results.filter((r) => r.stored);
  const kept = stored.find((r) => r.replacedAt !== undefined) ?? stored.find((r) => r.saved.length > 0) ?? stored[0];
  return {
    file: vscode.workspace.asRelativePath(job.source),
    done: job.state === 'done',
    before: job.sourceCopy && image(job.sourceCopy),
    after: kept?.stored && image(kept.stored),
    preset: job.preset,
    params: job.params,
    seed: kept?.seed,
    service: job.service === 'gateway' ? vscode.l10n.t('API gateway') : job.service === 'ideogram' ? vscode.l10n.t('Ideogram') : job.service,
    billed: job.results.length * (job.passes ?? 1),
    price: job.price,
    billedUsdMicros: job.billedUsdMicros,
  };
}

function image(stored: StoredImage) {
  return { width: stored.size?.width, height: stored.size?.height, bytes: stored.bytes };
}

function baseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}
