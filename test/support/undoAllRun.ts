/** The run of replaces that leftForReload.last.test.ts leaves for undoAll.reload.test.ts to undo after the reload. */
export const undoAllRun = { folder: 'undo-all', count: 10, file: 'undo-all.json' };

