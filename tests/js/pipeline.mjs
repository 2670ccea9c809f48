// The browser half of the tokenizer, for comparison with sitegen/search/tokenize.py.
//
//   node tests/js/pipeline.mjs < request.json > answer.json
//
// request: {"texts": [string...], "ranges": [[first, last]...]}
// answer:  {"texts": [{"fold", "runs", "grams", "mapped"}...], "chars": [folded code point...]}
// `mapped` re-derives every key character from the original text through foldWithMap's
// offsets, proving the highlight map is consistent with the key. `chars` holds foldChar of
// every code point in the ranges (surrogates skipped), in order.

import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// The traditional-to-simplified table is made by the build (sitegen/search/variants.py),
// never committed: the tests write it to a file and name it in SITEGEN_FOLD_JS.
export const CLIENT_JS = path.join(root, 'sitegen', 'search', 'client.js');
export const PAGE_JS = path.join(root, 'themes', 'default', 'static', 'search.js');

function loadScripts(files, foldFile) {
  const context = {};
  context.window = context;
  vm.createContext(context);
  for (const file of foldFile ? [foldFile, ...files] : files) {
    vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file });
  }
  return context;
}

/** The search package's browser client (window.SitegenSearch). */
export function loadClient(file = CLIENT_JS, foldFile = process.env.SITEGEN_FOLD_JS) {
  return loadScripts([file], foldFile).SitegenSearch;
}

/** The default theme's search page helpers (window.SitegenSearchPage), on the client. */
export function loadPage(foldFile = process.env.SITEGEN_FOLD_JS) {
  return loadScripts([CLIENT_JS, PAGE_JS], foldFile).SitegenSearchPage;
}

function mapped(api, text) {
  // Every non-space key unit must come from a code point whose fold contains it.
  const m = api.foldWithMap(text);
  let ok = m.key === api.fold(text) && m.starts.length === m.key.length && m.ends.length === m.key.length;
  for (let i = 0; ok && i < m.key.length; i++) {
    const src = text.slice(m.starts[i], m.ends[i]);
    if (m.key[i] === ' ') ok = m.starts[i] <= m.ends[i];
    else ok = src.length > 0 && [...src].some((ch) => api.foldChar(ch).includes(m.key[i]));
  }
  return ok;
}

function main() {
  const api = loadClient();
  const request = JSON.parse(fs.readFileSync(0, 'utf8'));
  const texts = (request.texts || []).map((t) => ({
    fold: api.fold(t),
    runs: api.runs(t),
    grams: api.gramTerms(t),
    mapped: mapped(api, t),
  }));
  const chars = [];
  for (const [first, last] of request.ranges || []) {
    for (let cp = first; cp <= last; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      chars.push(api.foldChar(String.fromCodePoint(cp)));
    }
  }
  process.stdout.write(JSON.stringify({ texts, chars }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
