// Try to load a serialized lunr index with the real lunr.js, the way the search client does.
//
//   node tests/js/load_index.mjs < index.json
//
// Prints {"raw": {...}, "client": {...}}: `raw` is lunr.Index.load itself, `client` is
// SitegenSearch.loadIndex (which also checks pipeline labels); each is {"ok": true, "terms": n}
// or {"ok": false, "error": message}. Used to show the traps (term order, pipeline labels)
// are real and handled.

import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const context = { console: { warn() {}, log() {} } };
context.window = context;
vm.createContext(context);
for (const file of [
  path.join(root, 'node_modules', 'lunr', 'lunr.js'),
  path.join(root, 'sitegen', 'search', 'client.js'),
]) {
  vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file });
}
const index = JSON.parse(fs.readFileSync(0, 'utf8'));

function attempt(load) {
  try {
    const idx = load();
    return { ok: true, terms: Object.keys(idx.invertedIndex).length };
  } catch (e) {
    return { ok: false, error: String(e && e.message ? e.message : e) };
  }
}

process.stdout.write(JSON.stringify({
  raw: attempt(() => context.lunr.Index.load(index)),
  client: attempt(() => context.SitegenSearch.loadIndex(context.lunr, index)),
}));
