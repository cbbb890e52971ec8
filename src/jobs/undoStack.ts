import * as vscode from 'vscode';
import { keepNewestGroups } from '../core/files/undoGroups';
import { UndoRecord } from './outputs';

/**
 * Replacements that can be undone, newest last; kept in the workspace's state across reloads and
 * restarts. The limit counts replaces made alone and whole runs, so a run is never cut in half.
 */
export class UndoStack {
  private static readonly key = 'ideogramUpscale.undoStack';
  private static readonly limit = 50;

  constructor(private readonly state: vscode.Memento) {
    void this.updateContext();
  }

  get records(): UndoRecord[] {
    return this.state.get<UndoRecord[]>(UndoStack.key, []);
  }

  async push(record: UndoRecord): Promise<void> {
    await this.state.update(UndoStack.key, keepNewestGroups([...this.records, record], UndoStack.limit));
    await this.updateContext();
  }

  async pop(record?: UndoRecord): Promise<UndoRecord | undefined> {
    const records = this.records;
    const index = record ? records.findIndex((r) => r.at === record.at && r.source === record.source) : records.length - 1;
    if (index < 0) return undefined;
    const [found] = records.splice(index, 1);
    await this.state.update(UndoStack.key, records);
    await this.updateContext();
    return found;
  }

  /**
   * Completes the walkthrough's replace step. The command does not hide behind this key: a key is
   * set by running code, so after a restart it would be missing until the extension activated.
   */
  private updateContext(): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', 'ideogramUpscale.canUndoReplace', this.records.length > 0);
  }
}
