// Unit tests of search.js's pure functions (node's built-in test runner):
//
//   node --test tests/js/
//
// The Python-vs-JavaScript agreement of the tokenizer is tested from pytest
// (tests/test_search_tokenize.py via pipeline.mjs); these cover the query side only.

import assert from 'node:assert/strict';
import test from 'node:test';
import { loadClient } from './pipeline.mjs';

const S = loadClient();
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
  const vocab = new Set(['独山港']);
  const clauses = plain(S.buildClauses(S.parseQuery('独山港 电 -泊位 独山 8:30'), (t) => vocab.has(t)));
  assert.deepEqual(clauses, [
    { term: '独山', presence: 'required', boost: 1, wildcard: 'none' },
    { term: '山港', presence: 'required', boost: 1, wildcard: 'none' },
    { term: '独山港', presence: 'optional', boost: 10, wildcard: 'none' },
    { term: '电', presence: 'required', boost: 1, wildcard: 'none' },
    { term: '8 3', presence: 'required', boost: 1, wildcard: 'none' },
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
  assert.equal(S.bucketKey('独山港'), '独山');
  assert.equal(S.bucketKey('8 3'), '8 3');
  assert.equal(S.bucketKey('电'), '电');
  assert.equal(S.bucketKey('𠮷野家'), '𠮷野');
});

test('vocabularyWords takes the longest known word first', () => {
  const vocab = new Set(['跨境电商', '电商园', '生态大会']);
  assert.deepEqual(plain(S.vocabularyWords('跨境电商园生态大会', (t) => vocab.has(t))), ['跨境电商', '生态大会']);
});

test('foldWithMap maps key characters back to the original, surrogates included', () => {
  const text = '时间8：30，𠮷野家';
  const m = S.foldWithMap(text);
  assert.equal(m.key, '时间8 30 𠮷野家');
  const at = m.key.indexOf('8 30');
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

test('status texts', () => {
  assert.equal(S.statusText('', 0), '请输入要搜索的词语');
  assert.equal(S.statusText('火星', 0), '没有找到与“火星”相关的文章');
  assert.equal(S.statusText('平湖', 3), '找到 3 篇文章');
  assert.equal(S.statusText('平湖', 250, 20), '找到 250 篇文章，显示前 20 篇');
  assert.equal(S.statusText('平湖', 20, 20), '找到 20 篇文章');
});

test('the split searcher refuses other manifest formats and unknown pipeline labels', () => {
  const lunr = { Pipeline: { registeredFunctions: {} }, Index: { load: () => ({}) } };
  assert.throws(() => S.createSplitSearcher(lunr, { format: 1 }, () => null), /format 1/);
  assert.throws(() => S.createSplitSearcher(lunr, { format: 2, pipeline: ['stemmer'], segments: [] }, () => null), /stemmer/);
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
