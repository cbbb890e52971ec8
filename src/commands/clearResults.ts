import * as vscode from 'vscode';
import { megabytes } from '../core/files/retention';
import { StorageKeeper, StorageOutcome } from '../jobs/storage';

interface Choice extends vscode.QuickPickItem {
  includeUnsaved?: boolean;
}

/**
 * Clears the results and backups in the extension's storage. The confirmation is a quick pick
 * step (never a modal dialog) that names what goes: results never saved go only when the user
 * picks the item that says so. What an undo needs always stays.
 */
export function clearResultsCommand(keeper: StorageKeeper) {
  return async (): Promise<StorageOutcome | undefined> => {
    const plan = await keeper.clearable();
    const kept = plan.keptForUndo + plan.running;
    if (plan.safe.ids.length + plan.unsaved.ids.length === 0) {
      void vscode.window.showInformationMessage(
        kept ? vscode.l10n.t('There are no results to clear; {0} upscales are kept for Undo Last Replace or still running.', kept) : vscode.l10n.t('There are no results to clear.'),
      );
      return undefined;
    }
    const choices: Choice[] = [];
    if (plan.safe.ids.length) {
      choices.push({
        label: `$(trash) ${vscode.l10n.t('Clear {0} upscales whose results are saved, replaced or failed ({1} MB)', plan.safe.ids.length, megabytes(plan.safe.bytes))}`,
        detail: vscode.l10n.t('Nothing is lost: the copies in your workspace stay.'),
        includeUnsaved: false,
      });
    }
    if (plan.unsaved.ids.length) {
      const all = plan.safe.ids.length + plan.unsaved.ids.length;
      choices.push({
        label: `$(warning) ${vscode.l10n.t('Clear all {0} upscales ({1} MB), results never saved: {2}', all, megabytes(plan.safe.bytes + plan.unsaved.bytes), plan.unsaved.results)}`,
        detail: vscode.l10n.t('Results never saved next to the original or in its place are gone for good.'),
        includeUnsaved: true,
      });
    }
    choices.push({ label: vscode.l10n.t('Cancel') });
    const picked = await vscode.window.showQuickPick(choices, {
      title: vscode.l10n.t('Clear Results'),
      placeHolder: plan.keptForUndo
        ? vscode.l10n.t('{0} upscales stay: Undo Last Replace needs their originals.', plan.keptForUndo)
        : vscode.l10n.t('What should be removed from the extension\'s storage?'),
      ignoreFocusOut: true,
    });
    if (picked?.includeUnsaved === undefined) return undefined;
    const outcome = await keeper.clear(picked.includeUnsaved);
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Cleared {0} upscales: the storage went from {1} MB to {2} MB.', outcome.removed, megabytes(outcome.bytesBefore), megabytes(outcome.bytesAfter)),
    );
    return outcome;
  };
}
