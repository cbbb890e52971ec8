/**
 * The libraries that only a folder run, a scan or a presets file needs. They are a bundle of their
 * own (dist/libraries.js), loaded by `libraries()` at first use, so loading the extension never
 * pays for them.
 */
export { default as picomatch } from 'picomatch';
export { parseTree, printParseErrorCode } from 'jsonc-parser';
