import * as vscode from 'vscode';

type ImageItem = vscode.QuickPickItem & { uri: vscode.Uri };

/**
 * Which of the workspace's images to upscale. The copies an earlier upscale saved are left out
 * until the user asks for them with the title bar's button: upscaling a result again is seldom
 * meant, and they would double the list.
 */
export function pickImages(images: vscode.Uri[], isOutput: (uri: vscode.Uri) => boolean): Promise<vscode.Uri[] | undefined> {
  const originals = images.filter((u) => !isOutput(u));
  const item = (uri: vscode.Uri): ImageItem => ({ label: uri.path.slice(uri.path.lastIndexOf('/') + 1), description: vscode.workspace.asRelativePath(uri), uri });
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<ImageItem>();
    qp.canSelectMany = true;
    qp.title = vscode.l10n.t('Upscale with Ideogram: choose images');
    qp.placeholder = vscode.l10n.t('Type to filter; Space selects');
    let showOutputs = false;
    const show: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('eye'), tooltip: vscode.l10n.t('Show upscaled copies too') };
    const hide: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('eye-closed'), tooltip: vscode.l10n.t('Hide upscaled copies') };
    const fill = () => {
      const chosen = new Set(qp.selectedItems.map((i) => i.uri.toString()));
      qp.items = (showOutputs ? images : originals).map(item);
      qp.selectedItems = qp.items.filter((i) => chosen.has(i.uri.toString()));
      qp.buttons = originals.length < images.length ? [showOutputs ? hide : show] : [];
    };
    fill();
    let settled = false;
    const finish = (value: vscode.Uri[] | undefined) => {
      if (settled) return;
      settled = true;
      resolve(value);
      qp.dispose();
    };
    qp.onDidTriggerButton(() => {
      showOutputs = !showOutputs;
      fill();
    });
    qp.onDidAccept(() => finish(qp.selectedItems.map((i) => i.uri)));
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}
