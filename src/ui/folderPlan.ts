import * as vscode from 'vscode';
import { makePlan, Plan, PlanRules, ScannedImage, SkipReason } from '../core/batch/plan';
import type { QuotedPrice } from '../core/batch/quotes';
import { inputBox } from './inputBox';

type Item = vscode.QuickPickItem & { image?: ScannedImage };

/**
 * The plan of a folder run in one quick pick: the images to send checked, the ones left out
 * below with the reason (check one to send it all the same), the count, size and price in the
 * title as the selection changes. Its buttons change the filters and plan again. Settles with
 * the images chosen, or undefined when dismissed.
 */
export function pickFromPlan(
  folderName: string,
  images: readonly ScannedImage[],
  rules: PlanRules,
  priceOf: (picked: readonly ScannedImage[]) => QuotedPrice,
  presetOf: (path: string) => string | undefined,
  quoted = false,
): Promise<ScannedImage[] | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<Item>();
    const filter: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('filter'), tooltip: vscode.l10n.t('Include or exclude paths (globs)…') };
    const threshold: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('screen-full'), tooltip: vscode.l10n.t('Only images whose long side is below…') };
    let current = { ...rules };
    let plan: Plan;
    const show = () => {
      plan = makePlan(images, current);
      const left: Item[] = plan.skipped.map(({ image, reason }) => ({ label: image.path, description: reasonText(reason, image, current), image }));
      const chosen: Item[] = plan.candidates.map((image) => ({ label: image.path, description: describe(image, presetOf(image.path)), image }));
      qp.items = [...chosen, ...(left.length ? [{ label: vscode.l10n.t('Left out'), kind: vscode.QuickPickItemKind.Separator }] : []), ...left];
      qp.selectedItems = qp.items.filter((i) => i.image && chosen.includes(i));
      retitle();
    };
    const retitle = () => {
      const picked = qp.selectedItems.filter((i) => i.image);
      const bytes = picked.reduce((sum, i) => sum + (i.image?.bytes ?? 0), 0);
      const price = priceOf(picked.flatMap((i) => (i.image ? [i.image] : [])));
      // A service that prices by dry run says whether this is its quote or the settings' estimate.
      qp.title = price.exact
        ? vscode.l10n.t('Upscale {0}: {1} of {2} images, {3} · {4} results, {5} {6} as quoted by the service', folderName, picked.length, images.length, megabytes(bytes), price.results, price.amount, price.currency)
        : quoted
          ? vscode.l10n.t('Upscale {0}: {1} of {2} images, {3} · {4} results, about {5} {6} (estimate from settings)', folderName, picked.length, images.length, megabytes(bytes), price.results, price.amount, price.currency)
          : vscode.l10n.t('Upscale {0}: {1} of {2} images, {3} · {4} results, about {5} {6}', folderName, picked.length, images.length, megabytes(bytes), price.results, price.amount, price.currency);
    };
    qp.canSelectMany = true;
    qp.ignoreFocusOut = true;
    qp.matchOnDescription = true;
    qp.placeholder = vscode.l10n.t('Checked images are sent; Enter starts. The buttons change the filters.');
    qp.buttons = [filter, threshold];
    let settled = false;
    const finish = (value: ScannedImage[] | undefined) => {
      if (settled) return;
      settled = true;
      resolve(value);
      qp.dispose();
    };
    qp.onDidChangeSelection(retitle);
    qp.onDidAccept(() => finish(qp.selectedItems.flatMap((i) => (i.image ? [i.image] : []))));
    qp.onDidHide(() => {
      if (!asking) finish(undefined);
    });
    let asking = false;
    qp.onDidTriggerButton(async (button) => {
      asking = true;
      if (button === filter) {
        const globs = await inputBox({
          title: vscode.l10n.t('Paths to include; a leading ! excludes'),
          prompt: vscode.l10n.t('Globs separated by commas, relative to the workspace folder, such as icons/**, !**/*.webp'),
          value: [...(current.include ?? []), ...(current.exclude ?? []).map((g) => `!${g}`)].join(', '),
          validate: () => undefined,
        });
        if (typeof globs === 'string') {
          const list = globs.split(',').map((g) => g.trim()).filter(Boolean);
          current = { ...current, include: list.filter((g) => !g.startsWith('!')), exclude: list.filter((g) => g.startsWith('!')).map((g) => g.slice(1)) };
        }
      } else {
        const value = await inputBox({
          title: vscode.l10n.t('Only images whose long side is below'),
          prompt: vscode.l10n.t('Pixels; larger images are left out of this run'),
          value: String(current.maxLongSide),
          validate: (s) => (/^\d+$/.test(s.trim()) && Number(s) >= 2 ? undefined : vscode.l10n.t('Enter a whole number of pixels.')),
        });
        if (typeof value === 'string') current = { ...current, maxLongSide: Number(value.trim()) };
      }
      asking = false;
      show();
      qp.show();
    });
    show();
    qp.show();
  });
}

function describe(image: ScannedImage, preset: string | undefined): string {
  return [image.size ? `${image.size.width}×${image.size.height}` : '', megabytes(image.bytes), preset ? vscode.l10n.t('preset: {0}', preset) : ''].filter(Boolean).join(' · ');
}

function reasonText(reason: SkipReason, image: ScannedImage, rules: PlanRules): string {
  const long = image.size ? Math.max(image.size.width, image.size.height) : 0;
  switch (reason) {
    case 'done':
      return vscode.l10n.t('done already (.vscode/ideogram-upscale.json)');
    case 'output':
      return vscode.l10n.t('an upscaled copy of an earlier run');
    case 'tooLarge':
      return vscode.l10n.t('long side {0} px, not below {1} px', long, rules.maxLongSide);
    case 'tooSmall':
      return vscode.l10n.t('long side {0} px, under {1} px', long, rules.minLongSide);
    case 'format':
      return vscode.l10n.t('not a PNG, JPEG or WebP image');
    case 'fileTooBig':
      return vscode.l10n.t('{0}, over the upload limit', megabytes(image.bytes));
    case 'filtered':
      return vscode.l10n.t('left out by the filter');
  }
}

function megabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? vscode.l10n.t('{0} KB', +(bytes / 1024).toFixed(1)) : vscode.l10n.t('{0} MB', +(bytes / 1024 / 1024).toFixed(1));
}
