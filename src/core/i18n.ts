/**
 * Words of the core that a user reads, in the user's language. The core imports nothing from
 * `vscode`; the extension hands it `vscode.l10n.t` at activation, and the strings are listed in
 * the l10n bundles like every other.
 */
export type Translate = (message: string, ...args: (string | number)[]) => string;

const english: Translate = (message, ...args) => message.replace(/\{(\d+)\}/g, (whole, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : whole));

let translate: Translate = english;

/** The words of an l10n bundle (as `vscode.l10n.bundle` holds it), for code that runs apart from the extension host's `vscode`. */
export function translatorFrom(bundle: Record<string, string> | undefined): Translate {
  return (message, ...args) => english(bundle?.[message] ?? message, ...args);
}

export function setTranslator(fn: Translate): void {
  translate = fn;
}

export function t(message: string, ...args: (string | number)[]): string {
  return translate(message, ...args);
}
