/** The run of replaces that leftForReload.last.test.ts leaves for undoAll.reload.test.ts to undo after the reload. */
export const undoAllRun = { folder: 'undo-all', count: 10, file: 'undo-all.json' };

/** The generation of Ideogram's current upscalers that a reload interrupts (leftForReload.last.test.ts, ideogramV2.reload.test.ts), and where its emulator, which outlives the reload, says where it is. */
export const v2ReloadRun = { folder: 'v2-reload', name: 'logo.png', key: 'ideo-v2-reload-0123456789', info: (outDir: string) => `${outDir}/v2-reload-emulator.json` };
