// Every result of each query, through the page's own search code, in node.
//
//   node bench/results.mjs BUILD_DIR < queries.json   (a JSON list of strings)
//
// Loads lunr.js, search-fold.js, search-index.js and search-client.js from BUILD_DIR/assets into
// one vm context as the search page does, answers each query in full (every match, not
// the first screen) and prints [{q, count, urls}] (urls of every match, best first).

import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const buildDir = path.resolve(process.argv[2]);
const queries = JSON.parse(fs.readFileSync(0, 'utf8'));
const context = { console };
context.window = context;
vm.createContext(context);
for (const name of ['lunr.js', 'search-fold.js', 'search-index.js', 'search-client.js']) {
  const file = path.join(buildDir, 'assets', name);
  if (fs.existsSync(file)) vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file });
}
const api = context.SitegenSearch;
const loader = api.createLoader((rel) => {
  const file = path.join(buildDir, 'assets', rel);
  vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file });
});
const searcher = api.createSplitSearcher(context.lunr, context.SITEGEN_SEARCH, loader.load);
const out = [];
for (const q of queries) {
  const answer = await searcher.search(q, Infinity);
  const docs = await searcher.docsFor(answer.results);
  out.push({ q, count: answer.count, urls: docs.map((d) => d.url) });
}
process.stdout.write(JSON.stringify(out));
