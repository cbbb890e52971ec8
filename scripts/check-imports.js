// Fails the build on an import cycle among the project's own TypeScript files (type-only imports
// and lazy require() calls count too: a cycle of types is still two modules that cannot be read
// apart). Prints each cycle it finds as a chain of paths.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const roots = ['src', 'media', 'test'];
const files = roots.flatMap((root) => walk(root)).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
const known = new Set(files);

function walk(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : walk(full);
    return [full];
  });
}

function importsOf(file) {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((i) => i.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => {
      const base = path.normalize(path.join(path.dirname(file), name));
      return [`${base}.ts`, path.join(base, 'index.ts'), base].find((c) => known.has(c));
    })
    .filter(Boolean);
}

const graph = new Map(files.map((f) => [f, [...new Set(importsOf(f))]]));
const cycles = [];
const state = new Map(); // 1: on the current path, 2: done
const stack = [];

function visit(file) {
  state.set(file, 1);
  stack.push(file);
  for (const next of graph.get(file)) {
    if (state.get(next) === 1) cycles.push([...stack.slice(stack.indexOf(next)), next]);
    else if (!state.has(next)) visit(next);
  }
  stack.pop();
  state.set(file, 2);
}

for (const file of files) if (!state.has(file)) visit(file);
if (cycles.length) {
  console.error(`✘ ${cycles.length} import cycle(s):`);
  for (const cycle of cycles) console.error(`  ${cycle.join(' → ')}`);
  process.exit(1);
}
console.log(`import cycles: none among ${files.length} files`);
