/*
 * sitegen search client: answers queries from the split lunr.js index under assets/search/.
 *
 * Plain ES2017, no build step, no network: every file is a classic script (fetch of file://
 * URLs is blocked), loaded on demand with a <script> element, so the search page works from
 * a copy on disk. assets/search-index.js (the manifest) says which month segments exist and
 * how many shard files each has; sitegen/search/shards.py describes the layout.
 *
 * The pure functions are exported on window.SitegenSearch and never touch the DOM, so node
 * (tests/js/query.mjs) runs exactly the code the browser runs.
 *
 * How a query is answered (sitegen/search/tokenize.py explains the index side):
 *  1. The query is split on white space into parts. Each part is folded exactly like the
 *     indexed text into runs of word characters; its terms (partTerms) are the runs'
 *     bigrams, the junctions between runs, or a lone character itself.
 *  2. For each term and each segment, the shard its bucket key hashes to is loaded; a term
 *     that is heavy in a segment is listed there and loaded from its own file. Words of the
 *     index (3+ characters) share a shard with their first bigram, so the browser learns
 *     which query substrings are words without loading anything more.
 *  3. From the loaded postings and the manifest's corpus statistics a lunr index of just
 *     these terms is assembled: lunr 2.3.9's BM25 weights, computed like lunr.py, and term
 *     numbers in UTF-16 order. It equals the unsplit index restricted to these terms, and
 *     lunr's score only reads the query terms' postings and vector entries, so lunr.js
 *     returns the same documents and scores as it would on one big index.
 *  4. Every part term is a *required* clause, every index word found in a run an *optional*
 *     clause boosted 10. An article matches a part when it has all of the part's terms;
 *     a part written -word excludes articles that have all of its terms.
 *  5. Articles whose title field has every positive part's terms come first, then by lunr's
 *     score, then newest, then reading order. Only the shown results' display data is loaded.
 *  lunr's query-string parser is never used, so `8:30`, `~`, `^`, `*`, `+-` are ordinary
 *  characters (separators) and cannot throw.
 */
(function (root) {
  'use strict';

  var FORMAT = 2;
  /* Search-pipeline labels this client registers: none. Must equal PIPELINE_LABELS in
   * sitegen/search/index.py; lunr.Index.load throws on an unregistered label. */
  var PIPELINE_LABELS = [];
  var WORD_MIN = 3;
  var WORD_MAX = 16;
  var WORD_BOOST = 10;
  var FIELDS = ['title', 'people', 'towns', 'body'];
  var MAX_QUERY = 400;
  var SNIPPET_BEFORE = 30;
  var SNIPPET_LENGTH = 120;

  var IDEOGRAPH_RANGES = [[0x3400, 0x9FFF], [0xF900, 0xFAFF], [0x20000, 0x3FFFF]];

  /* \p{...} is ES2018; build it at run time so an older engine falls back instead of
   * failing to parse the whole file. */
  var WORD_RE = null;
  try {
    WORD_RE = new RegExp('^[\\p{L}\\p{N}\\p{M}]$', 'u');
  } catch (e) {
    WORD_RE = null;
  }

  /* Mirrors is_word_char() in tokenize.py. */
  function isWordChar(c) {
    var cp = c.codePointAt(0);
    for (var i = 0; i < IDEOGRAPH_RANGES.length; i++) {
      if (cp >= IDEOGRAPH_RANGES[i][0] && cp <= IDEOGRAPH_RANGES[i][1]) return true;
    }
    if (WORD_RE) return WORD_RE.test(c);
    // Coarse fallback for engines without Unicode property escapes.
    if (cp < 0x80) return /[0-9a-z]/i.test(c);
    return !((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
             (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
             (cp >= 0xE000 && cp <= 0xF8FF) || cp === 0xA0 || cp === 0xFEFF);
  }

  var foldCache = new Map();

  /* Mirrors fold_char() in tokenize.py: one code point -> folded string, separators as ' '. */
  function foldChar(ch) {
    var hit = foldCache.get(ch);
    if (hit !== undefined) return hit;
    var out = '';
    for (var c of ch.normalize('NFKC').toLowerCase()) out += isWordChar(c) ? c : ' ';
    foldCache.set(ch, out);
    return out;
  }

  /* Mirrors runs(): maximal stretches of word characters of the folded text. */
  function runs(text) {
    var s = '';
    for (var ch of String(text)) s += foldChar(ch);
    return s.split(' ').filter(function (r) { return r.length > 0; });
  }

  /* Mirrors fold(): the search key, runs joined by single spaces. */
  function fold(text) {
    return runs(text).join(' ');
  }

  /* Mirrors run_grams(): bigrams in order, then every character. */
  function runGrams(run) {
    var cps = Array.from(run);
    var grams = [];
    for (var i = 0; i + 1 < cps.length; i++) grams.push(cps[i] + cps[i + 1]);
    return grams.concat(cps);
  }

  /* Mirrors junction(): last character, space, first character of the next run. */
  function junction(left, right) {
    var l = Array.from(left);
    return l[l.length - 1] + ' ' + Array.from(right)[0];
  }

  /* Mirrors gram_terms(): each run's grams, then the junction to the next run. */
  function gramTerms(text) {
    var rs = runs(text);
    var out = [];
    rs.forEach(function (r, i) {
      Array.prototype.push.apply(out, runGrams(r));
      if (i + 1 < rs.length) out.push(junction(r, rs[i + 1]));
    });
    return out;
  }

  /* Mirrors part_terms(): what an article must all have to match a part. */
  function partTerms(partRuns) {
    if (partRuns.length === 1 && Array.from(partRuns[0]).length === 1) return [partRuns[0]];
    var out = [];
    var seen = Object.create(null);
    function add(t) { if (!seen[t]) { seen[t] = true; out.push(t); } }
    partRuns.forEach(function (r, i) {
      var cps = Array.from(r);
      for (var k = 0; k + 1 < cps.length; k++) add(cps[k] + cps[k + 1]);
      if (i + 1 < partRuns.length) add(junction(r, partRuns[i + 1]));
    });
    return out;
  }

  /* The folded key of `text` plus, for each UTF-16 unit of the key, the range of the
   * original text it came from, so matches in the key can be highlighted in the original.
   * key === fold(text). */
  function foldWithMap(text) {
    text = String(text);
    var key = '';
    var starts = [];
    var ends = [];
    var pending = -1; // start of a separator stretch not yet emitted
    var i = 0;
    for (var ch of text) {
      var f = foldChar(ch);
      for (var c of f) {
        if (c === ' ') {
          if (pending < 0) pending = i;
          continue;
        }
        if (pending >= 0 && key.length) {
          key += ' ';
          starts.push(pending);
          ends.push(i);
        }
        pending = -1;
        key += c;
        for (var u = 0; u < c.length; u++) {
          starts.push(i);
          ends.push(i + ch.length);
        }
      }
      i += ch.length;
    }
    return { key: key, starts: starts, ends: ends };
  }

  /* The query's parts: white-space separated, folded. A part starting with '-' (and more)
   * excludes articles containing it. Parts with no word characters are dropped. */
  function parseQuery(q) {
    var parts = [];
    var seen = Object.create(null);
    String(q || '').split(/\s+/).forEach(function (raw) {
      if (!raw) return;
      var negative = false;
      var body = raw;
      if (raw.length > 1 && raw.charAt(0).normalize('NFKC') === '-') {
        negative = true;
        body = raw.slice(1);
      }
      var rs = runs(body);
      if (!rs.length) return;
      var key = rs.join(' ');
      var id = (negative ? '-' : '+') + key;
      if (seen[id]) return;
      seen[id] = true;
      parts.push({ raw: raw, key: key, runs: rs, negative: negative, terms: partTerms(rs) });
    });
    return parts;
  }

  /* Longest-first segmentation of a run against the index vocabulary (words of WORD_MIN..
   * WORD_MAX code points); the browser has no jieba, the index's terms are its dictionary. */
  function vocabularyWords(run, hasTerm) {
    var cps = Array.from(run);
    var words = [];
    var i = 0;
    while (i < cps.length) {
      var step = 1;
      for (var len = Math.min(WORD_MAX, cps.length - i); len >= WORD_MIN; len--) {
        var w = cps.slice(i, i + len).join('');
        if (hasTerm(w)) {
          words.push(w);
          step = len;
          break;
        }
      }
      i += step;
    }
    return words;
  }

  /* The lunr clauses for the parsed query, as plain data (node prints them, the Python
   * tests replay them in lunr.py): every positive part term required, index words found
   * in the positive runs optional and boosted. */
  function buildClauses(parts, hasTerm) {
    var clauses = [];
    var seen = Object.create(null);
    function add(term, presence, boost) {
      var id = term + '\u0000' + presence;
      if (seen[id]) return;
      seen[id] = true;
      clauses.push({ term: term, presence: presence, boost: boost, wildcard: 'none' });
    }
    parts.forEach(function (part) {
      if (part.negative) return;
      part.terms.forEach(function (t) { add(t, 'required', 1); });
      part.runs.forEach(function (run) {
        vocabularyWords(run, hasTerm).forEach(function (w) { add(w, 'optional', WORD_BOOST); });
      });
    });
    return clauses;
  }

  function runClauses(lunr, idx, clauses) {
    if (!clauses.length) return [];
    return idx.query(function (q) {
      clauses.forEach(function (c) {
        q.term(c.term, {
          usePipeline: false,
          boost: c.boost,
          presence: c.presence === 'required' ? lunr.Query.presence.REQUIRED : lunr.Query.presence.OPTIONAL,
          wildcard: lunr.Query.wildcard.NONE
        });
      });
    });
  }

  /* Python's round(x, 3) (what lunr.py stores), for x >= 0. Math.round(x * 1000) / 1000
   * agrees except within a hair of a half; there the exact decimal value decides
   * (toFixed is exact), and exact ties (x an odd multiple of 1/16) go to the even neighbour. */
  function round3(x) {
    var t = x * 1000;
    var frac = t - Math.floor(t);
    if (Math.abs(frac - 0.5) > 1e-6) return Math.round(t) / 1000;
    if ((x * 16) % 2 === 1) {
      var n = Math.floor(t);
      return (n % 2 === 0 ? n : n + 1) / 1000;
    }
    return Number(x.toFixed(3));
  }

  /* 32-bit FNV-1a over code points; mirrors fnv1a() in shards.py. */
  function fnv1a(text) {
    var h = 0x811C9DC5;
    for (var ch of text) {
      h ^= ch.codePointAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  /* Mirrors bucket_key(): first two code points, unless a junction or shorter. */
  function bucketKey(term) {
    var cps = Array.from(term);
    return cps.length > 2 && cps[1] !== ' ' ? cps[0] + cps[1] : term;
  }

  function checkManifest(lunr, data) {
    if (!data || data.format !== FORMAT) {
      throw new Error('search index format ' + (data && data.format) + ', expected ' + FORMAT);
    }
    (data.pipeline || []).forEach(function (label) {
      if (PIPELINE_LABELS.indexOf(label) < 0 || !lunr.Pipeline.registeredFunctions[label]) {
        throw new Error('search index needs unregistered pipeline function ' + label);
      }
    });
  }

  /* Loads a serialized lunr index after checking its pipeline labels (lunr.Index.load
   * throws on unregistered ones). */
  function loadIndex(lunr, index) {
    (index.pipeline || []).forEach(function (label) {
      if (PIPELINE_LABELS.indexOf(label) < 0 || !lunr.Pipeline.registeredFunctions[label]) {
        throw new Error('search index needs unregistered pipeline function ' + label);
      }
    });
    return lunr.Index.load(index);
  }

  /* Date (YYYY-MM-DD) of a ref from the manifest's per-year table of first numbers. */
  function dateOf(meta, ref) {
    var num = Number(ref);
    var year = Math.floor(num / meta.refBase);
    var n = num % meta.refBase;
    var table = meta.dates[String(year)] || [];
    // binary search over the (date, first number) pairs: a common query ranks thousands
    // of hits, and a scan of a year's 365 days for each was most of its time
    var lo = 0;
    var hi = table.length / 2;  // pairs [lo, hi) not yet excluded; answer: the last with first <= n
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (table[2 * mid + 1] <= n) lo = mid + 1;
      else hi = mid;
    }
    return year + '-' + (lo > 0 ? table[2 * (lo - 1)] : '');
  }

  /* The ranked answer for parsed `parts` from a lunr index holding (at least) every term
   * of the query: the same function for the unsplit index and for one assembled from
   * shards, which is what makes their answers identical. */
  function rank(lunr, idx, meta, parts) {
    var inv = idx.invertedIndex;
    function hasTerm(t) { return Object.prototype.hasOwnProperty.call(inv, t); }
    function hasAll(ref, terms, fields) {
      return terms.every(function (t) {
        var p = inv[t];
        return !!p && fields.some(function (f) { return p[f] && Object.prototype.hasOwnProperty.call(p[f], ref); });
      });
    }
    var positive = parts.filter(function (p) { return !p.negative; });
    var negative = parts.filter(function (p) { return p.negative; });
    var clauses = buildClauses(parts, hasTerm);
    var hits = positive.length ? runClauses(lunr, idx, clauses) : [];
    var fields = idx.fields;
    var results = [];
    hits.forEach(function (hit) {
      if (negative.some(function (p) { return hasAll(hit.ref, p.terms, fields); })) return;
      var tier = positive.every(function (p) { return hasAll(hit.ref, p.terms, ['title']); }) ? 0 : 1;
      results.push({ ref: hit.ref, score: hit.score, tier: tier, date: dateOf(meta, hit.ref) });
    });
    results.sort(function (a, b) {
      if (a.tier !== b.tier) return a.tier - b.tier;
      if (a.score !== b.score) return b.score - a.score;
      if (a.date !== b.date) return a.date < b.date ? 1 : -1;
      return Number(a.ref) - Number(b.ref);
    });
    return {
      parts: parts,
      clauses: clauses,
      hits: hits.length,
      rawHits: hits.map(function (h) { return { ref: h.ref, score: h.score }; }),
      results: results
    };
  }

  /* Shard and article data delivered by the scripts under assets/search/. */
  var store = { shards: Object.create(null), docs: Object.create(null) };
  function shard(seg, fid, data) { store.shards[seg + '/' + fid] = data; }
  function doc(ref, data) { store.docs[ref] = data; }

  /* `loadScript(rel)` -> Promise, rel relative to assets/ ('search/2024-01/3.js'); each file
   * is requested once. `loaded` lists what was requested, in order. */
  function createLoader(loadScript) {
    var pending = Object.create(null);
    var loaded = [];
    function load(rel) {
      if (!pending[rel]) {
        loaded.push(rel);
        pending[rel] = Promise.resolve().then(function () { return loadScript(rel); });
      }
      return pending[rel];
    }
    return { load: load, loaded: loaded };
  }

  /* Terms of one parsed shard, indexed once: term -> [counts per field, offset in p]. */
  function shardTerms(data) {
    if (data._terms) return data._terms;
    var map = new Map();
    var off = 0;
    for (var i = 0; i < data.t.length; i++) {
      var counts = data.c.slice(4 * i, 4 * i + 4);
      map.set(data.t[i], { counts: counts, offset: off });
      off += 3 * (counts[0] + counts[1] + counts[2] + counts[3]);
    }
    var heavy = new Map();
    (data.h || []).forEach(function (e) { heavy.set(e[0], e[1]); });
    data._terms = map;
    data._heavy = heavy;
    return map;
  }

  /* A searcher over the split index: search(q) -> Promise of rank()'s answer plus the
   * serialized assembled index (`index`) and timing. */
  function createSplitSearcher(lunr, manifest, load) {
    checkManifest(lunr, manifest);
    var segments = manifest.segments;
    var fields = manifest.fields;
    var nDocs = 0;
    var sums = fields.map(function () { return 0; });
    segments.forEach(function (s) {
      nDocs += s.count;
      s.lengths.forEach(function (v, f) { sums[f] += v; });
    });
    var avg = sums.map(function (v) { return v / nDocs; });
    function bucketRel(seg, term) {
      return 'search/' + seg.key + '/' + ((fnv1a(bucketKey(term)) & (seg.buckets - 1)) >>> 0) + '.js';
    }
    function lightShard(seg, term) {
      return store.shards[seg.key + '/' + ((fnv1a(bucketKey(term)) & (seg.buckets - 1)) >>> 0)];
    }
    function heavyId(seg, term) {
      var data = lightShard(seg, term);
      if (!data) return undefined;
      shardTerms(data);
      return data._heavy.get(term);
    }
    function hasTerm(t) {
      return segments.some(function (seg) {
        var data = lightShard(seg, t);
        return !!data && (shardTerms(data).has(t) || data._heavy.has(t));
      });
    }
    /* Appends the postings of `term` in `seg` to `out` as flat (ref, field, tf, length)
     * quadruples, ascending refs per field; returns how many it added. Flat, because a
     * common term has tens of thousands of postings and an array each kept the garbage
     * collector busy for longer than the ranking. */
    function postingsOf(seg, term, out) {
      var data = lightShard(seg, term);
      if (!data) return 0;
      var hid = shardTerms(data) && data._heavy.get(term);
      if (hid !== undefined) data = store.shards[seg.key + '/' + hid];
      var entry = data && shardTerms(data).get(term);
      if (!entry) return 0;
      var p = data.p;
      var at = entry.offset;
      var base = seg.year * manifest.refBase + seg.first;
      var added = 0;
      for (var f = 0; f < fields.length; f++) {
        var doc = base;
        for (var k = 0; k < entry.counts[f]; k++) {
          doc += p[at];
          out.push(String(doc), f, p[at + 1], p[at + 2]);
          at += 3;
          added++;
        }
      }
      return added;
    }
    function assemble(terms) {
      // Terms the index has, numbered by UTF-16 rank (Array.prototype.sort's order).
      var found = [];
      terms.slice().sort().forEach(function (term) {
        var all = [];
        var count = 0;
        segments.forEach(function (seg) { count += postingsOf(seg, term, all); });
        if (count) found.push([term, all, count]);
      });
      var inverted = [];
      var vectors = new Map();
      var k1 = manifest.k1;
      var b = manifest.b;
      found.forEach(function (item, index) {
        var term = item[0];
        var all = item[1];
        var n = item[2];
        var idf = Math.log(1 + Math.abs((nDocs - n + 0.5) / (n + 0.5)));
        var posting = { _index: index };
        var byField = fields.map(function (f) { return (posting[f] = {}); });
        for (var i = 0; i < all.length; i += 4) {
          var ref = all[i];
          var f = all[i + 1];
          var tf = all[i + 2];
          byField[f][ref] = {};
          var score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (all[i + 3] / avg[f])) + tf);
          score *= manifest.boosts[f];
          var key = fields[f] + '/' + ref;
          var v = vectors.get(key);
          if (!v) { v = []; vectors.set(key, v); }
          v.push(index, round3(score));
        }
        inverted.push([term, posting]);
      });
      var fieldVectors = [];
      vectors.forEach(function (v, key) { fieldVectors.push([key, v]); });
      return {
        version: manifest.lunr,
        fields: fields.slice(),
        fieldVectors: fieldVectors,
        invertedIndex: inverted,
        pipeline: manifest.pipeline.slice()
      };
    }
    function search(q) {
      var t0 = now();
      var parts = parseQuery(String(q || '').slice(0, MAX_QUERY));
      var base = [];
      parts.forEach(function (p) { Array.prototype.push.apply(base, p.terms); });
      base = Array.from(new Set(base));
      function loadAll(rels) { return Promise.all(Array.from(new Set(rels)).map(function (rel) { return load(rel); })); }
      var first = [];
      segments.forEach(function (seg) { base.forEach(function (t) { first.push(bucketRel(seg, t)); }); });
      return loadAll(first).then(function () {
        var words = [];
        parts.forEach(function (p) {
          if (p.negative) return;
          p.runs.forEach(function (r) { Array.prototype.push.apply(words, vocabularyWords(r, hasTerm)); });
        });
        var terms = Array.from(new Set(base.concat(words)));
        var second = [];
        segments.forEach(function (seg) {
          terms.forEach(function (t) {
            var hid = heavyId(seg, t);
            if (hid !== undefined) second.push('search/' + seg.key + '/' + hid + '.js');
          });
        });
        return loadAll(second).then(function () { return terms; });
      }).then(function (terms) {
        var t1 = now();
        var serialized = assemble(terms);
        var idx = loadIndex(lunr, serialized);
        var out = rank(lunr, idx, manifest, parts);
        out.index = serialized;
        out.timing = { loadMs: t1 - t0, searchMs: now() - t1 };
        return out;
      });
    }
    /* Display data of `results` (loads what is missing). */
    function docsFor(results) {
      return Promise.all(results.map(function (r) {
        if (store.docs[r.ref]) return null;
        var num = Number(r.ref);
        var rel = 'search/docs/' + Math.floor(num / manifest.refBase) + '/' + (num % manifest.refBase) + '.js';
        return load(rel);
      })).then(function () {
        return results.map(function (r) { return store.docs[r.ref]; });
      });
    }
    return { search: search, docsFor: docsFor, hasTerm: hasTerm, assemble: assemble };
  }

  function now() {
    return (typeof performance !== 'undefined' && performance.now) ? performance.now() : Date.now();
  }

  /* Segments [{text, mark}] of `text` with every occurrence of the keys marked. With
   * `window` the text is cut to about SNIPPET_LENGTH units around the first match. */
  function highlight(text, keys, window) {
    text = String(text || '');
    var m = foldWithMap(text);
    var ranges = [];
    keys.forEach(function (k) {
      if (!k) return;
      var at = m.key.indexOf(k);
      while (at >= 0) {
        ranges.push([m.starts[at], m.ends[at + k.length - 1]]);
        at = m.key.indexOf(k, at + 1);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    var start = 0;
    var end = text.length;
    if (window) {
      start = merged.length ? Math.max(0, merged[0][0] - SNIPPET_BEFORE) : 0;
      if (merged.length) {
        // Start at a sentence or clause boundary when one is close before the match.
        var lead = text.slice(start, merged[0][0]);
        var cut = Math.max(lead.lastIndexOf('\n'), lead.search(/[。！？；!?;][^。！？；!?;]*$/));
        if (cut >= 0) start += cut + 1;
        while (start < merged[0][0] && /[”’」』）)\s]/.test(text.charAt(start))) start++;
      }
      end = Math.min(text.length, start + SNIPPET_LENGTH);
      if (merged.length && merged[0][1] > end) end = merged[0][1];
      // Never cut a surrogate pair in half.
      if (start > 0 && /[\uDC00-\uDFFF]/.test(text.charAt(start))) start--;
      if (end < text.length && /[\uDC00-\uDFFF]/.test(text.charAt(end))) end++;
    }
    var segs = [];
    if (start > 0) segs.push({ text: '…', mark: false });
    var pos = start;
    merged.forEach(function (r) {
      var a = Math.max(r[0], start);
      var b = Math.min(r[1], end);
      if (a >= b) return;
      if (a > pos) segs.push({ text: text.slice(pos, a), mark: false });
      segs.push({ text: text.slice(a, b), mark: true });
      pos = b;
    });
    if (pos < end) segs.push({ text: text.slice(pos, end), mark: false });
    if (end < text.length) segs.push({ text: '…', mark: false });
    return segs;
  }

  function statusText(q, count, shown) {
    if (!String(q || '').trim()) return '请输入要搜索的词语';
    if (!count) return '没有找到与“' + q + '”相关的文章';
    if (shown !== undefined && count > shown) return '找到 ' + count + ' 篇文章，显示前 ' + shown + ' 篇';
    return '找到 ' + count + ' 篇文章';
  }

  var api = {
    FORMAT: FORMAT,
    PIPELINE_LABELS: PIPELINE_LABELS,
    WORD_MIN: WORD_MIN,
    WORD_MAX: WORD_MAX,
    isWordChar: isWordChar,
    foldChar: foldChar,
    fold: fold,
    runs: runs,
    runGrams: runGrams,
    gramTerms: gramTerms,
    partTerms: partTerms,
    foldWithMap: foldWithMap,
    parseQuery: parseQuery,
    vocabularyWords: vocabularyWords,
    buildClauses: buildClauses,
    round3: round3,
    fnv1a: fnv1a,
    bucketKey: bucketKey,
    loadIndex: loadIndex,
    rank: rank,
    dateOf: dateOf,
    shard: shard,
    doc: doc,
    createLoader: createLoader,
    createSplitSearcher: createSplitSearcher,
    highlight: highlight,
    statusText: statusText,
    timing: {}
  };
  root.SitegenSearch = api;

  /* ---------------------------------------------------------------- the page */

  function appendSegments(doc, parent, segs) {
    segs.forEach(function (s) {
      if (s.mark) {
        var mark = doc.createElement('mark');
        mark.textContent = s.text;
        parent.appendChild(mark);
      } else {
        parent.appendChild(doc.createTextNode(s.text));
      }
    });
  }

  function renderResult(doc, r, keys) {
    var li = doc.createElement('li');
    li.className = 'search-result';
    var h = doc.createElement('h2');
    h.className = 'search-result-title';
    var a = doc.createElement('a');
    a.setAttribute('href', '../' + r.doc.url);
    appendSegments(doc, a, highlight(r.doc.title, keys, false));
    h.appendChild(a);
    li.appendChild(h);
    if (r.doc.subtitle) {
      var sub = doc.createElement('p');
      sub.className = 'search-result-subtitle';
      appendSegments(doc, sub, highlight(r.doc.subtitle, keys, false));
      li.appendChild(sub);
    }
    var meta = doc.createElement('p');
    meta.className = 'search-result-meta';
    [['time', r.doc.date], ['span', r.doc.page], ['span', r.doc.bylines]].forEach(function (item) {
      if (!item[1]) return;
      if (meta.childNodes.length) meta.appendChild(doc.createTextNode(' · '));
      var el = doc.createElement(item[0]);
      if (item[0] === 'time') el.setAttribute('datetime', item[1]);
      el.textContent = item[1];
      meta.appendChild(el);
    });
    li.appendChild(meta);
    var snip = doc.createElement('p');
    snip.className = 'search-result-snippet';
    appendSegments(doc, snip, highlight(r.doc.body, keys, true));
    li.appendChild(snip);
    return li;
  }

  /* Loads assets/<rel> with a <script> element, relative to the manifest's own URL. */
  function scriptLoader(doc) {
    var manifest = doc.querySelector('script[src$="search-index.js"]');
    var base = manifest ? manifest.src.replace(/search-index\.js$/, '') : '../assets/';
    return function (rel) {
      return new Promise(function (resolve, reject) {
        var s = doc.createElement('script');
        s.src = base + rel;
        s.onload = function () { resolve(); };
        s.onerror = function () { reject(new Error('搜索数据未能加载：' + rel)); };
        doc.head.appendChild(s);
      });
    };
  }

  function initPage(doc) {
    var list = doc.getElementById('search-results');
    if (!list) return;
    var status = doc.getElementById('search-status');
    var input = doc.getElementById('search-q');
    var q = new URLSearchParams(root.location ? root.location.search : '').get('q') || '';
    if (input) input.value = q;
    function say(text) { if (status) status.textContent = text; }
    function fail(e) { say('搜索出错：' + (e && e.message ? e.message : String(e))); }
    if (!q.trim()) {
      say(statusText(q, 0));
      return;
    }
    var lunr = root.lunr;
    var manifest = root.SITEGEN_SEARCH;
    if (!lunr || !manifest) {
      say('搜索索引未能加载。');
      return;
    }
    say('正在搜索…');
    var searcher;
    try {
      searcher = createSplitSearcher(lunr, manifest, createLoader(scriptLoader(doc)).load);
    } catch (e) {
      fail(e);
      return;
    }
    var step = manifest.shown || 20;
    var shown = 0;
    var more = null;
    var t0 = now();
    searcher.search(q).then(function (out) {
      var keys = out.parts.filter(function (p) { return !p.negative; }).map(function (p) { return p.key; });
      while (list.firstChild) list.removeChild(list.firstChild);
      function showMore() {
        var batch = out.results.slice(shown, shown + step);
        return searcher.docsFor(batch).then(function (docs) {
          batch.forEach(function (r, i) { list.appendChild(renderResult(doc, { doc: docs[i] }, keys)); });
          shown += batch.length;
          say(statusText(q, out.results.length, shown));
          if (shown < out.results.length) {
            if (!more) {
              more = doc.createElement('button');
              more.type = 'button';
              more.id = 'search-more';
              more.textContent = '显示更多';
              more.addEventListener('click', function () { showMore().catch(fail); });
              list.parentNode.insertBefore(more, list.nextSibling);
            }
          } else if (more) {
            more.parentNode.removeChild(more);
            more = null;
          }
        });
      }
      return showMore().then(function () {
        api.timing = { loadMs: out.timing.loadMs, searchMs: out.timing.searchMs, totalMs: now() - t0 };
      });
    }).catch(fail);
  }

  if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', function () { initPage(document); });
    } else {
      initPage(document);
    }
  }
})(typeof window !== 'undefined' ? window : this);
