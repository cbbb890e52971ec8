import * as vscode from 'vscode';

/** Where a box stands in a sequence of steps, shown as "2/7" in its title. */
export interface StepOf {
  step: number;
  totalSteps: number;
}

/** What a box with a Back button settles with when that button is pressed. */
export const back = Symbol('back');

export interface InputBoxSpec extends Partial<StepOf> {
  title: string;
  prompt: string;
  value?: string;
  password?: boolean;
  validate: (value: string) => string | undefined;
  canGoBack?: boolean;
}

/**
 * An input box that stays open when focus moves away and shows its step in a sequence, which
 * `showInputBox` cannot; settles with the accepted value, `back`, or undefined when dismissed.
 */
export function inputBox(spec: InputBoxSpec): Promise<string | typeof back | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = spec.title;
    box.prompt = spec.prompt;
    box.value = spec.value ?? '';
    box.password = spec.password ?? false;
    box.step = spec.step;
    box.totalSteps = spec.totalSteps;
    box.ignoreFocusOut = true;
    box.buttons = spec.canGoBack ? [vscode.QuickInputButtons.Back] : [];
    let settled = false;
    const finish = (value: string | typeof back | undefined) => {
      if (settled) return;
      settled = true;
      resolve(value);
      box.dispose();
    };
    box.onDidChangeValue((value) => (box.validationMessage = spec.validate(value)));
    box.onDidAccept(() => {
      box.validationMessage = spec.validate(box.value);
      if (!box.validationMessage) finish(box.value);
    });
    box.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && finish(back));
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}
