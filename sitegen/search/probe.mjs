// What a reader's browser loads to answer queries, found by running the page's own code.
//
//   node sitegen/search/probe.mjs BUILD_DIR < queries.json   (a JSON list of strings)
//
// Loads BUILD_DIR/assets/{lunr.js,search-fold.js,search-index.js,search-client.js} into a vm
// context as the page's <script>s, then for each query runs SitegenSearch's split searcher from a cold cache and
// loads the display data of the first page of results, exactly as the page does. Prints a
// JSON list of {q, loaded: [paths relative to assets/], results, ms}.

import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const buildDir = path.resolve(process.argv[2]);
const queries = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = [];
for (const q of queries) {
  const context = { console };
  context.window = context;
  vm.createContext(context);
  for (const name of ['lunr.js', 'search-fold.js', 'search-index.js', 'search-client.js']) {
    const file = path.join(buildDir, 'assets', name);
    vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file });
  }
  const api = context.SitegenSearch;
  const manifest = context.SITEGEN_SEARCH;
  const loader = api.createLoader((rel) => {
    const file = path.join(buildDir, 'assets', rel);
    vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file });
  });
  const searcher = api.createSplitSearcher(context.lunr, manifest, loader.load);
  const t0 = performance.now();
  const answer = await searcher.search(q);
  await searcher.docsFor(answer.results.slice(0, manifest.shown || 20));
  out.push({ q, loaded: loader.loaded.slice(), results: answer.count, ms: performance.now() - t0 });
}
process.stdout.write(JSON.stringify(out));
