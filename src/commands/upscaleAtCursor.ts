import * as vscode from 'vscode';
import { ImageAtCursor } from '../editor/imageAtCursor';

/**
 * "Upscale Image at Cursor": the image whose path the cursor is on in a text editor, or the one a
 * hover's link names (its URI as argument); then the usual upscale flow.
 */
export function upscaleAtCursorCommand(tracker: ImageAtCursor, upscale: (uri: vscode.Uri) => Thenable<unknown>) {
  return async (target?: unknown): Promise<unknown> => {
    const uri = typeof target === 'string' ? vscode.Uri.parse(target) : await tracker.current();
    if (!uri) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The cursor is not on the path of a PNG, JPEG or WebP image of this workspace.'));
      return undefined;
    }
    return upscale(uri);
  };
}
