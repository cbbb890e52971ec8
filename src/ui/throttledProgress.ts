import type * as vscode from 'vscode';

type Step = { message?: string; increment?: number };

/**
 * A progress that tells the window at most every `everyMs`: a batch of hundreds of images ends one
 * every few milliseconds, and each report is a message to the window and a redraw of the
 * notification. Increments add up; the last message wins; `flush` tells what is left.
 */
export function throttledProgress(progress: vscode.Progress<Step>, everyMs = 250): { report(step: Step): void; flush(): void } {
  let increment = 0;
  let message: string | undefined;
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (increment === 0 && message === undefined) return;
    last = Date.now();
    progress.report({ increment: increment || undefined, message });
    increment = 0;
    message = undefined;
  };
  return {
    report(step) {
      increment += step.increment ?? 0;
      message = step.message ?? message;
      if (Date.now() - last >= everyMs) flush();
      else timer ??= setTimeout(flush, everyMs - (Date.now() - last));
    },
    flush,
  };
}
