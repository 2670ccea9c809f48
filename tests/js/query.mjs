// Run the query table against a built site with the real lunr.js, in node.
//
//   node tests/js/query.mjs SITE_DIR [QUERIES_JSON] [--real-build] [--unsplit=INDEX_JSON]
//
// Loads node_modules/lunr/lunr.js, SITE_DIR/assets/search-fold.js, search-index.js,
// search-client.js and search.js into one vm context, the way the browser loads the page's
// <script>s, and answers every query with the same SitegenSearch code the page uses; the
// shard and article scripts it asks for are read from SITE_DIR/assets and run in the same
// context (the browser inserts <script> elements). Prints one JSON report on stdout and a
// summary line on stderr; exits 1 if any expectation fails. With --real-build, expectations
// for the synthetic zz-test/ articles are dropped. With --unsplit, each query is also
// answered from that serialized unsplit lunr index (`reference`), by the same rank().
// Every query is answered in full (`limit` Infinity) and for the first LIMITS results
// (`limited`, the page asks for its first screen, then for more).

import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

export function loadSite(siteDir) {
  const context = { console };
  context.window = context;
  vm.createContext(context);
  const lunrPath = path.join(root, 'node_modules', 'lunr', 'lunr.js');
  vm.runInContext(fs.readFileSync(lunrPath, 'utf8'), context, { filename: lunrPath });
  for (const name of ['search-fold.js', 'search-index.js', 'search-client.js', 'search.js']) {
    const file = path.join(siteDir, 'assets', name);
    vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file });
  }
  const { lunr, SITEGEN_SEARCH: data, SitegenSearch: api, SitegenSearchPage: page } = context;
  const bytes = {};
  const loader = api.createLoader((rel) => {
    const file = path.join(siteDir, 'assets', rel);
    const text = fs.readFileSync(file, 'utf8');
    bytes[rel] = Buffer.byteLength(text);
    vm.runInContext(text, context, { filename: file });
  });
  const searcher = api.createSplitSearcher(lunr, data, loader.load);
  return { context, lunr, data, api, page, loader, bytes, searcher };
}

/** The answer to `q` for the first `limit` results (Infinity: all of them). */
export async function answer(site, q, limit = Infinity) {
  try {
    const before = site.loader.loaded.length;
    const out = await site.searcher.search(q, limit);
    const docs = await site.searcher.docsFor(out.results);
    return {
      q,
      limit: Number.isFinite(limit) ? limit : null,
      urls: docs.map((d) => d.url),
      refs: out.results.map((r) => r.ref),
      scores: out.results.map((r) => r.score),
      rawHits: out.rawHits,
      tiers: out.results.map((r) => r.tier),
      hits: out.hits,
      count: out.count,
      candidates: out.candidates,
      clauses: out.clauses,
      keys: out.parts.map((p) => (p.negative ? '-' : '') + p.key),
      partTerms: out.parts.map((p) => p.terms),
      status: site.page.statusText(q, out.count),
      loaded: site.loader.loaded.slice(before),
      index: out.index,
      timing: out.timing,
      error: null,
    };
  } catch (e) {
    return { q, urls: [], error: String(e && e.stack ? e.stack : e) };
  }
}

/** The limits each query is also answered for (`limited`): small ones cut the demo
 * corpus's result lists, 20 and 40 are the page's first two screens. */
export const LIMITS = [1, 2, 3, 5, 20, 40];

export function reference(site, unsplit, q) {
  const { api, lunr, data } = site;
  const idx = api.loadIndex(lunr, unsplit);
  const out = api.rank(lunr, idx, data, api.parseQuery(q));
  return { refs: out.results.map((r) => r.ref), scores: out.results.map((r) => r.score),
    tiers: out.results.map((r) => r.tier), clauses: out.clauses };
}

function expected(entry, realBuild) {
  return realBuild ? entry.expect.filter((u) => !u.startsWith('zz-test/')) : entry.expect;
}

export function check(entry, got, realBuild) {
  if (got.error) return `threw: ${got.error}`;
  const want = expected(entry, realBuild);
  if (entry.ordered) {
    if (JSON.stringify(got.urls) !== JSON.stringify(want)) {
      return `expected in order ${JSON.stringify(want)}, got ${JSON.stringify(got.urls)}`;
    }
  } else {
    const a = [...got.urls].sort();
    const b = [...want].sort();
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      return `expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`;
    }
  }
  if (entry.first) {
    const head = got.urls.slice(0, entry.first.length);
    const wantFirst = realBuild ? entry.first.filter((u) => !u.startsWith('zz-test/')) : entry.first;
    if (JSON.stringify(head.slice(0, wantFirst.length)) !== JSON.stringify(wantFirst)) {
      return `expected to start with ${JSON.stringify(wantFirst)}, got ${JSON.stringify(got.urls)}`;
    }
  }
  return null;
}

async function main(argv) {
  const args = argv.filter((a) => !a.startsWith('--'));
  const realBuild = argv.includes('--real-build');
  const unsplitArg = argv.find((a) => a.startsWith('--unsplit='));
  if (!args.length) {
    process.stderr.write('usage: node tests/js/query.mjs SITE_DIR [QUERIES_JSON] [--real-build] [--unsplit=FILE]\n');
    return 2;
  }
  const siteDir = path.resolve(args[0]);
  const queriesFile = path.resolve(args[1] || path.join(root, 'tests', 'search_queries.json'));
  const table = JSON.parse(fs.readFileSync(queriesFile, 'utf8')).queries;
  const site = loadSite(siteDir);
  const unsplit = unsplitArg ? JSON.parse(fs.readFileSync(unsplitArg.slice(10), 'utf8')) : null;
  const results = [];
  for (const entry of table) {
    const got = await answer(site, entry.q);
    got.limited = [];
    for (const limit of LIMITS) got.limited.push(await answer(site, entry.q, limit));
    if (unsplit) got.reference = reference(site, unsplit, entry.q);
    got.failure = entry.expect ? check(entry, got, realBuild) : null;
    results.push(got);
  }
  const failed = results.filter((r) => r.failure);
  process.stdout.write(JSON.stringify({ docs: site.data.segments.reduce((a, s) => a + s.count, 0), results }) + '\n');
  for (const r of failed) process.stderr.write(`FAIL ${JSON.stringify(r.q)}: ${r.failure}\n`);
  process.stderr.write(`${results.length - failed.length} passed, ${failed.length} failed\n`);
  return failed.length ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
