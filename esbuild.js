// The bundles: the extension, its codecs, its image worker and the libraries it loads at first use (Node, CommonJS), and the results
// panel's script (browser).
// `vscode` is provided by the host. `undici` stays external: the extension's requests go through
// VS Code's global fetch (its proxy, certificates and sign-in); should undici ever be required, it
// is loaded from node_modules, never bundled and never installed as the global dispatcher.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Reports errors in the form VS Code's esbuild problem matcher reads. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/**
 * A module of src/ that is a bundle of its own: an import of it becomes a require of the bundle
 * beside the one importing it, so loading the extension never pays for it.
 */
function apart(name, modulePath, bundle) {
  const filter = new RegExp(`(^|/)${path.basename(modulePath)}$`);
  return {
    name,
    setup(build) {
      build.onResolve({ filter }, (args) => (path.resolve(args.resolveDir, args.path) === path.resolve(modulePath) ? { path: bundle, external: true } : undefined));
    },
  };
}

/** The WebAssembly codecs (dist/codecs.js with dist/wasm/), required only when an image must be decoded. */
const codecsApart = apart('codecs-apart', 'src/core/images/codecs', './codecs.js');
/** picomatch and jsonc-parser (dist/libraries.js), required at the first scan or presets file. */
const librariesApart = apart('libraries-apart', 'src/core/libraries', './libraries.js');

/** Copies the .wasm files that `wasmFiles` in src/core/images/codecs.ts lists. */
function copyWasm() {
  const source = fs.readFileSync('src/core/images/codecs.ts', 'utf8');
  const wasmFiles = [...source.matchAll(/'([\w/.-]+\.wasm)'/g)].map((m) => m[1]);
  const root = path.dirname(path.dirname(require.resolve('@jsquash/png/package.json')));
  for (const file of wasmFiles) {
    const to = path.join('dist', 'wasm', file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(root, file), to);
  }
}

/** VS Code's own icon font, for the panel (the webview cannot reach the workbench's). */
function copyCodicons() {
  const from = path.join(path.dirname(require.resolve('@vscode/codicons/package.json')), 'dist');
  fs.mkdirSync('dist/codicons', { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(from, file), path.join('dist/codicons', file));
}

const targets = [
  {
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'undici', 'undici/*'],
    plugins: [codecsApart, librariesApart],
  },
  {
    entryPoints: ['src/core/libraries.ts'],
    outfile: 'dist/libraries.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // jsonc-parser's main is a UMD module whose requires esbuild cannot follow; its ES modules bundle.
    alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  },
  {
    entryPoints: ['src/core/images/codecs.ts'],
    outfile: 'dist/codecs.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Only looked up when run from sources; the bundle finds dist/wasm first.
    external: ['@jsquash/png/package.json'],
    // The Emscripten glue derives a default .wasm address from import.meta.url even though the
    // modules are handed to it compiled; give CommonJS a real one.
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  },
  {
    // The image work's thread (src/jobs/imageWork.ts); the codecs stay a bundle of their own.
    entryPoints: ['src/core/images/imageWorker.ts'],
    outfile: 'dist/imageWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [codecsApart],
  },
  {
    entryPoints: ['media/panel.ts'],
    outfile: 'dist/panel.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

async function main() {
  copyWasm();
  copyCodicons();
  const contexts = await Promise.all(
    targets.map((t) =>
      esbuild.context({
        ...t,
        bundle: true,
        minify: production,
        sourcemap: !production,
        sourcesContent: false,
        logLevel: 'silent',
        plugins: [...(t.plugins ?? []), ...(watch ? [problemMatcher] : [])],
      }),
    ),
  );
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
