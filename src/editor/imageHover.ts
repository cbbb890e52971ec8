import * as vscode from 'vscode';
import { readSize } from '../core/images/format';
import { ImageAtCursor, imageAt } from './imageAtCursor';

/** Over an image path: the image's size in pixels and bytes, and a link that upscales it. */
export function imageHover(tracker: ImageAtCursor): vscode.HoverProvider {
  return {
    async provideHover(document, position) {
      const found = await imageAt(document, position);
      if (!found) return undefined;
      tracker.note(found);
      const bytes = await vscode.workspace.fs.readFile(found.uri);
      const size = readSize(bytes);
      const name = found.uri.path.slice(found.uri.path.lastIndexOf('/') + 1);
      const args = encodeURIComponent(JSON.stringify([found.uri.toString()]));
      const text = new vscode.MarkdownString();
      text.appendMarkdown(`**${escape(name)}** · ${size ? `${size.width}×${size.height} · ` : ''}${formatBytes(bytes.length)}\n\n`);
      text.appendMarkdown(`[$(sparkle) ${escape(vscode.l10n.t('Upscale with Ideogram…'))}](command:ideogramUpscale.upscaleAtCursor?${args})`);
      text.supportThemeIcons = true;
      // Only this command may run from the link.
      text.isTrusted = { enabledCommands: ['ideogramUpscale.upscaleAtCursor'] };
      return new vscode.Hover(text, found.range);
    },
  };
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return vscode.l10n.t('{0} bytes', bytes);
  const kb = bytes / 1024;
  return kb < 1024 ? vscode.l10n.t('{0} KB', +kb.toFixed(1)) : vscode.l10n.t('{0} MB', +(kb / 1024).toFixed(1));
}
