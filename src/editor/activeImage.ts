import * as vscode from 'vscode';

/** VS Code's built-in image preview, a custom editor. */
export const imagePreviewViewType = 'imagePreview.previewEditor';

/**
 * The file shown by the image preview in the active tab. A right-click on the picture
 * (`webview/context`) hands the command only the page's context, never the file: the tab knows it.
 */
export function activePreviewImage(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom && input.viewType === imagePreviewViewType ? input.uri : undefined;
}
