import * as vscode from 'vscode';
import { back, inputBox } from './inputBox';

export type Step<T> = Promise<T | typeof back | undefined>;

/** The steps of a multi-step quick input, each with a Back button. */
export function input(title: string, step: number, totalSteps: number, prompt: string, value: string, validate: (s: string) => string | undefined): Step<string> {
  return inputBox({ title, step, totalSteps, prompt, value, validate, canGoBack: true });
}

export function pick<T>(title: string, step: number, total: number, items: (vscode.QuickPickItem & { value: T })[], canGoBack: boolean, placeholder?: string, active?: T, refuse?: (value: T) => string | undefined): Step<T> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { value: T }>();
    qp.title = title;
    qp.step = step;
    qp.totalSteps = total;
    qp.items = items;
    if (active !== undefined) qp.activeItems = items.filter((i) => i.value === active);
    qp.placeholder = placeholder;
    qp.ignoreFocusOut = true;
    qp.buttons = canGoBack ? [vscode.QuickInputButtons.Back] : [];
    let settled = false;
    const finish = (v: T | typeof back | undefined) => {
      if (settled) return;
      settled = true;
      resolve(v);
      qp.dispose();
    };
    qp.onDidAccept(() => {
      const chosen = qp.selectedItems[0]?.value;
      // A choice that cannot be sent keeps the pick open and says why, in place.
      const refusal = chosen !== undefined ? refuse?.(chosen) : undefined;
      if (refusal === undefined) return finish(chosen);
      qp.placeholder = refusal;
      qp.title = `${title} — ${refusal}`;
    });
    qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(back));
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

/** What a step that does not apply (to the model chosen, say) answers: the flow goes on the way it was going. */
export const skip = Symbol('skip');

/** Runs the steps in turn, Back going to the one before: true at the end, `back` from the first, undefined when dismissed. */
export async function runSteps(steps: (() => Step<unknown>)[]): Promise<true | typeof back | undefined> {
  let direction = 1;
  for (let i = 0; i < steps.length; ) {
    const result = await steps[i]();
    if (result === undefined) return undefined;
    if (result !== skip) direction = result === back ? -1 : 1;
    i += direction;
    if (i < 0) return back;
  }
  return true;
}
