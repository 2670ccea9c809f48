// Unit tests of the search client's pure functions (sitegen/search/client.js) and the
// default theme's page helpers (themes/default/static/search.js) (node's built-in test runner):
//
//   node --test tests/js/
//
// The Python-vs-JavaScript agreement of the tokenizer is tested from pytest
// (tests/test_search_tokenize.py via pipeline.mjs); these cover the query side only.

import assert from 'node:assert/strict';
import test from 'node:test';
import { createRequire } from 'node:module';
import { loadClient, loadPage } from './pipeline.mjs';

const S = loadClient();
const P = loadPage();
const plain = (v) => JSON.parse(JSON.stringify(v)); // objects from the vm realm

test('parseQuery splits on white space, folds, drops empty parts and duplicates', () => {
  const parts = plain(S.parseQuery('  独山港\u3000泊位 独山港 ~ ^ * +- '));
  assert.deepEqual(parts.map((p) => p.key), ['独山港', '泊位']);
  assert.deepEqual(plain(S.parseQuery('8:30'))[0].runs, ['8', '30']);
  assert.deepEqual(plain(S.parseQuery('')), []);
  assert.deepEqual(plain(S.parseQuery(null)), []);
});

test('a leading minus (ASCII or full-width) excludes; a lone minus is ignored', () => {
  const parts = plain(S.parseQuery('平湖 -泊位 －扩容 -'));
  assert.deepEqual(parts.map((p) => [p.key, p.negative]), [['平湖', false], ['泊位', true], ['扩容', true]]);
});

test('buildClauses: part terms required, words boosted, negatives left out', () => {
  const vocab = new Set(['独山港镇']);
  const clauses = plain(S.buildClauses(S.parseQuery('独山港镇 电 -泊位 独山 8:30'), (t) => vocab.has(t)));
  assert.deepEqual(clauses, [
    { term: '独山港', presence: 'required', boost: 1, wildcard: 'none' },
    { term: '山港镇', presence: 'required', boost: 1, wildcard: 'none' },
    { term: '独山港镇', presence: 'optional', boost: 10, wildcard: 'none' },
    { term: '电', presence: 'required', boost: 1, wildcard: 'none' },
    { term: '独山', presence: 'required', boost: 1, wildcard: 'none' },
    { term: '8:3', presence: 'required', boost: 1, wildcard: 'none' },
    { term: '30', presence: 'required', boost: 1, wildcard: 'none' },
  ]);
});

test('round3 is Python round(x, 3), ties to even', () => {
  assert.equal(S.round3(0.0625), 0.062);
  assert.equal(S.round3(0.1875), 0.188);
  assert.equal(S.round3(1.2345678), 1.235);
  assert.equal(S.round3(2.675), 2.675);
  assert.equal(S.round3(0.0005), 0.001);
  assert.equal(S.round3(0), 0);
});

test('fnv1a and bucketKey', () => {
  assert.equal(S.fnv1a(''), 0x811c9dc5);
  assert.equal(S.fnv1a('a'), 0xe40c292c);
  assert.equal(S.bucketKey('独山港'), '独山港');
  assert.equal(S.bucketKey('独山港镇'), '独山港');
  assert.equal(S.bucketKey('独山'), '独山');
  assert.equal(S.bucketKey('8:3'), '8:3');
  assert.equal(S.bucketKey('8%。3'), '8%。3');
  assert.equal(S.bucketKey('电'), '电');
  assert.equal(S.bucketKey('𠮷野家店'), '𠮷野家');
});

test('vocabularyWords takes the longest known word first', () => {
  const vocab = new Set(['跨境电商', '电商园', '生态大会']);
  assert.deepEqual(plain(S.vocabularyWords('跨境电商园生态大会', (t) => vocab.has(t))), ['跨境电商', '生态大会']);
});

test('foldWithMap maps key characters back to the original, surrogates included', () => {
  const text = '时间8：30，𠮷野家';
  const m = S.foldWithMap(text);
  assert.equal(m.key, '时间8:30,𠮷野家');
  const at = m.key.indexOf('8:30');
  assert.equal(text.slice(m.starts[at], m.ends[at + 3]), '8：30');
  const y = m.key.indexOf('𠮷');
  assert.equal(text.slice(m.starts[y], m.ends[y + 1]), '𠮷');
});

test('highlight marks every occurrence and cuts a window at a sentence start', () => {
  const body = '甲'.repeat(200) + '。第二句提到电商，又说电商。' + '乙'.repeat(300);
  const segs = plain(S.highlight(body, ['电商'], true));
  assert.equal(segs[0].text, '…');
  assert.ok(segs[1].text.startsWith('第二句'));
  assert.deepEqual(segs.filter((s) => s.mark).map((s) => s.text), ['电商', '电商']);
  assert.equal(segs[segs.length - 1].text, '…');
  assert.deepEqual(plain(S.highlight('短文', ['无'], true)), [{ text: '短文', mark: false }]);
});

test('highlight merges overlapping matches and never splits a surrogate pair', () => {
  const segs = plain(S.highlight('跨境电商', ['跨境电', '电商'], false));
  assert.deepEqual(segs, [{ text: '跨境电商', mark: true }]);
  const astral = '𠮷'.repeat(100);
  for (const s of plain(S.highlight(astral + '电' + astral, ['电'], true))) {
    assert.ok(!/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(s.text), JSON.stringify(s.text));
  }
});

test('traditional characters fold to simplified, on the query side too', () => {
  assert.equal(S.fold('電商'), '电商');
  assert.deepEqual(plain(S.parseQuery('電商 對GDP')).map((p) => p.key), ['电商', '对gdp']);
  assert.equal(S.partKey('“35.6%”'), '35.6');
  const segs = plain(S.highlight('跨境電商產業園', ['电商'], false));
  assert.deepEqual(segs.filter((s) => s.mark).map((s) => s.text), ['電商']);
});

test('a query across punctuation keeps its punctuation', () => {
  assert.deepEqual(plain(S.parseQuery('8：30')[0].terms), ['8:3', '30']);
  assert.deepEqual(plain(S.partTerms('58%。302')), ['58', '8%。3', '302']);
});

test('result dates read as the pages print them', () => {
  assert.equal(P.cnDate('2023-09-19'), '2023年9月19日');
  assert.equal(P.cnDate('2024-12-01'), '2024年12月1日');
});

test('status texts', () => {
  assert.equal(P.statusText('', 0), '请输入要搜索的词语');
  assert.equal(P.statusText('火星', 0), '没有找到与“火星”相关的文章');
  assert.equal(P.statusText('平湖', 3), '找到 3 篇文章');
  assert.equal(P.statusText('平湖', 250, 20), '找到 250 篇文章，显示前 20 篇');
  assert.equal(P.statusText('平湖', 20, 20), '找到 20 篇文章');
});

test('the split searcher refuses other manifest formats and unknown pipeline labels', () => {
  const lunr = { Pipeline: { registeredFunctions: {} }, Index: { load: () => ({}) } };
  assert.throws(() => S.createSplitSearcher(lunr, { format: 1 }, () => null), /format 1/);
  assert.throws(() => S.createSplitSearcher(lunr, { format: 5, pipeline: ['stemmer'], segments: [], packs: {} }, () => null), /stemmer/);
  assert.throws(() => S.loadIndex(lunr, { pipeline: ['stemmer'] }), /stemmer/);
  assert.deepEqual(S.loadIndex(lunr, { pipeline: [] }), {});
});

test('dateOf finds the day of a document number (the last day starting at or before it)', () => {
  // 2024: Jan 1 starts at document 0, Jan 2 at 5, Jan 4 at 9 (no paper on Jan 3), Feb 1 at 12
  const meta = { refBase: 1000000, dates: { 2024: ['01-01', 0, '01-02', 5, '01-04', 9, '02-01', 12] } };
  const day = (n) => S.dateOf(meta, String(2024 * 1000000 + n));
  const want = ['01-01', '01-01', '01-01', '01-01', '01-01', '01-02', '01-02', '01-02', '01-02',
    '01-04', '01-04', '01-04', '02-01', '02-01', '02-01'];
  assert.deepEqual(Array.from({ length: 15 }, (_, n) => day(n)), want.map((d) => '2024-' + d));
  // a year the manifest does not know, and a table of one day
  assert.equal(S.dateOf(meta, String(2023 * 1000000 + 3)), '2023-');
  assert.equal(S.dateOf({ refBase: 1000000, dates: { 2025: ['03-09', 0] } }, '2025000007'), '2025-03-09');
});

test('selectCandidates keeps every match tied with the limit-th one, by tier then score', () => {
  // tier 0 first; within a tier, higher scores first; the limit-th match decides
  const tiers = Uint8Array.from([1, 0, 1, 1, 1, 0, 1, 1]);
  const scores = Float64Array.from([2, 1, 3, 2, 2 + 1e-13, 9, 1, 2]);
  const keep = (limit) => Array.from(S.selectCandidates(tiers, scores, limit));
  assert.deepEqual(keep(1), [0, 0, 0, 0, 0, 1, 0, 0]);
  assert.deepEqual(keep(2), [0, 1, 0, 0, 0, 1, 0, 0]); // a tier-0 score of 1 beats a tier-1 3
  assert.deepEqual(keep(3), [0, 1, 1, 0, 0, 1, 0, 0]);
  // the 4th is one of four tier-1 matches scoring 2 (one a last-bit difference higher)
  assert.deepEqual(keep(4), [1, 1, 1, 1, 1, 1, 0, 1]);
  assert.deepEqual(keep(7), [1, 1, 1, 1, 1, 1, 0, 1]);
  assert.deepEqual(keep(8), [1, 1, 1, 1, 1, 1, 1, 1]);
  assert.deepEqual(keep(Infinity), [1, 1, 1, 1, 1, 1, 1, 1]);
  assert.deepEqual(Array.from(S.selectCandidates(new Uint8Array(0), new Float64Array(0), 20)), []);
});

test('selectCandidates keeps what sorting every match would keep (random scores, many ties)', () => {
  // the reference: sort each tier's scores, take the limit-th match's, keep its ties
  const reference = (tiers, scores, limit) => {
    if (!(limit < tiers.length)) return tiers.map(() => 1);
    const top = [], rest = [];
    tiers.forEach((t, i) => (t === 0 ? top : rest).push(scores[i]));
    top.sort((a, b) => b - a);
    rest.sort((a, b) => b - a);
    const tier = limit <= top.length ? 0 : 1;
    const sK = tier === 0 ? top[limit - 1] : rest[limit - top.length - 1];
    const floor = sK - 1e-9 * Math.max(1, sK);
    return tiers.map((t, i) => (t < tier || (t === tier && scores[i] >= floor) ? 1 : 0));
  };
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let round = 0; round < 200; round++) {
    const n = 1 + Math.floor(random() * 300);
    const distinct = 1 + Math.floor(random() * 20);  // few distinct scores: ties everywhere
    const tiers = Uint8Array.from({ length: n }, () => (random() < 0.3 ? 0 : 1));
    const scores = Float64Array.from({ length: n }, () => Math.floor(random() * distinct) / 7);
    for (const limit of [1, 2, 20, Math.floor(n / 2) + 1, n - 1, n]) {
      assert.deepEqual(Array.from(S.selectCandidates(tiers, scores, limit)),
        reference(Array.from(tiers), Array.from(scores), limit), `round ${round} limit ${limit}`);
    }
  }
});

/* A one-month corpus in the shard format (sitegen/search/shards.py) and a searcher over it:
 * postings are [document, tf, field length] per term, field by field, documents ascending
 * (the first of a field absolute, then deltas). */
function tinySearcher(lunr, docs) {
  const fields = ['title', 'people', 'towns', 'body'];
  const terms = [...new Set(docs.flatMap((d) => Object.keys(d.terms)))].sort();
  const t = [];
  const c = [];
  const p = [];
  for (const term of terms) {
    t.push(term);
    fields.forEach((f, fi) => {
      let prev = 0;
      let n = 0;
      docs.forEach((d, i) => {
        const tf = (d.terms[term] || {})[f];
        if (!tf) return;
        p.push(i - prev, tf, d.lengths[fi]);
        prev = i;
        n++;
      });
      c.push(n);
    });
  }
  const dates = [];
  docs.forEach((d, i) => { if (dates[dates.length - 2] !== d.day) dates.push(d.day, i); });
  const manifest = {
    format: 5, lunr: '2.3.9', fold: S.foldDigest(), fields, boosts: [10, 5, 3, 1], k1: 1.2, b: 0.75, pipeline: [],
    refBase: 1000000, shown: 20, dates: { 2024: dates },
    packs: { '2024-01': 1 },
    segments: [{ key: '2024-01', pack: '2024-01', year: 2024, first: 0, count: docs.length, buckets: 1,
      lengths: fields.map((_, fi) => docs.reduce((a, d) => a + d.lengths[fi], 0)) }],
  };
  const load = (rel) => {
    assert.equal(rel, 'search/2024-01/0.js');
    S.shard('2024-01', 0, { t, c, p });
  };
  return S.createSplitSearcher(lunr, manifest, S.createLoader(load).load);
}

test('the first `limit` results equal the full ranking\'s when ties straddle the limit', async () => {
  const lunr = createRequire(import.meta.url)('../../node_modules/lunr/lunr.js');
  // 12 articles over three days with 港口 once in a body of the same length: one score;
  // two have it twice (a higher score), one also in its title (tier 0); one lacks it.
  const docs = Array.from({ length: 13 }, (_, i) => ({
    day: ['01-01', '01-02', '01-03'][Math.min(2, Math.floor(i / 4))],
    lengths: [4, 0, 0, 10],
    terms: { 港口: { body: i === 1 || i === 6 ? 2 : 1, title: i === 2 ? 1 : 0 }, 其他: { body: 1 } },
  }));
  docs[12].terms = { 其他: { body: 1 } };
  const searcher = tinySearcher(lunr, docs);
  const ref = (n) => String(2024000000 + n);
  const full = await searcher.search('港口', Infinity);
  // tier 0, then the two tf-2 articles (newer first), then the ties newest day first,
  // in reading order within a day
  assert.deepEqual(plain(full.results.map((r) => r.ref)), [2, 6, 1, 8, 9, 10, 11, 4, 5, 7, 0, 3].map(ref));
  assert.equal(full.count, 12);
  const tied = full.results.slice(3).map((r) => r.score);
  assert.ok(tied.every((s) => s === tied[0]) && full.results[2].score > tied[0]);
  for (let limit = 1; limit <= 14; limit++) {
    for (const searchNow of [searcher, tinySearcher(lunr, docs)]) { // matches reused, and fresh
      const out = await searchNow.search('港口', limit);
      assert.deepEqual(plain(out.results), plain(full.results.slice(0, limit)), `limit ${limit}`);
      assert.equal(out.count, 12);
    }
  }
  // Only what can be among the first is ranked by lunr: a clear leader alone, a tie whole.
  assert.equal((await searcher.search('港口', 1)).candidates, 1);
  assert.equal((await searcher.search('港口', 3)).candidates, 3);
  assert.equal((await searcher.search('港口', 4)).candidates, 12);
  assert.equal((await searcher.search('港口', 4)).index.fieldVectors.length, 12 + 1);
  // and the manifest's page size when no limit is given
  assert.equal((await searcher.search('港口')).results.length, 12);
});

test('heavyFile names a term by the hex of its UTF-8, like heavy_file() in shards.py', () => {
  assert.equal(S.heavyFile('独山港'), 'h/e78bace5b1b1e6b8af.js');
  assert.equal(S.heavyFile('a b'), 'h/612062.js');
  assert.equal(S.heavyFile('\u{20000}é'), 'h/f0a08080c3a9.js');
});
