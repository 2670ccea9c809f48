/*
 * sitegen's search client, the browser's half of the search engine: answers queries from
 * the split lunr.js index under assets/search/.
 *
 * Part of the search package (sitegen/search/client.js, package data), published by every
 * build as assets/search-client.js next to the index it reads, so the engine and the index
 * format change together and any theme gets it: a theme's own script (the default theme's
 * static/search.js) keeps only the page, its wording and DOM, and calls
 * window.SitegenSearch.
 *
 * Plain ES2017, no build step, no network: every file is a classic script (fetch of file://
 * URLs is blocked), loaded on demand by the loader the page passes in (a <script> element
 * in the browser), so the search page works from a copy on disk. assets/search-index.js
 * (the manifest) says which month segments exist and how many shard files each has;
 * sitegen/search/shards.py describes the layout.
 *
 * Every function is pure of the DOM, so node (tests/js/) runs exactly the code the browser
 * runs.
 *
 * How a query is answered (sitegen/search/tokenize.py explains the index side):
 *  1. The query is split on white space into parts. Each part is folded exactly like the
 *     indexed text (traditional characters simplified through assets/search-fold.js, the
 *     table the index was made with) into its key: runs of word characters and the
 *     punctuation between them; its terms (partTerms) are the runs' trigrams (a run of two:
 *     its bigram), the junctions between runs (last character, punctuation, first
 *     character), or a lone character.
 *  2. For each term and each pack of segments (months), the light file its bucket key
 *     hashes to is loaded: it holds that bucket of every month of the pack. A term that is
 *     heavy in a month is listed there and loaded from the pack's file of that term. Words
 *     of the index (4+ characters) share a bucket with the trigram they start with, so the
 *     browser learns which query substrings are words without loading anything more
 *     (every other term is its own bucket key). Files, not
 *     bytes, are what a query waits for (about 2.5 ms per script from disk), hence packs.
 *  3. From the loaded postings and the manifest's corpus statistics each document's lunr
 *     2.3.9 vector weights are computed like lunr.py's BM25, terms numbered in UTF-16 order.
 *  4. Every part term is a *required* clause, every index word found in a run an *optional*
 *     clause boosted 10. An article matches a part when it has all of the part's terms;
 *     a part written -word excludes articles that have all of its terms.
 *  5. Articles whose title field has every positive part's terms come first, then by lunr's
 *     score, then newest, then reading order.
 *  6. Only the first results are ranked by lunr.js (manifest.shown; "显示更多" asks for more):
 *     plain loops over typed arrays find every match, its tier and an approximate score,
 *     and keep the candidates that can be among the first; a lunr index of the query terms
 *     and the candidates' postings is assembled. It equals the unsplit index restricted to
 *     these terms and documents, and a document's lunr score only reads its own vectors and
 *     the query's, so lunr.js returns the same scores and order as on one big index.
 *     Only the shown results' display data is loaded.
 *  lunr's query-string parser is never used, so `8:30`, `~`, `^`, `*`, `+-` are ordinary
 *  characters (separators) and cannot throw.
 */
(function (root) {
  'use strict';

  var FORMAT = 5;
  /* Search-pipeline labels this client registers: none. Must equal PIPELINE_LABELS in
   * sitegen/search/index.py; lunr.Index.load throws on an unregistered label. */
  var PIPELINE_LABELS = [];
  var WORD_MIN = 4;
  var GRAM_MAX = 3;
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
  var BREAK_RE = null;
  var FORMAT_RE = null;
  try {
    WORD_RE = new RegExp('^[\\p{L}\\p{N}\\p{M}]$', 'u');
    BREAK_RE = new RegExp('^[\\p{Cc}\\p{Zs}\\p{Zl}\\p{Zp}\\uFEFF]$', 'u');
    FORMAT_RE = new RegExp('^\\p{Cf}$', 'u');
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

  /* Mirrors is_break() in tokenize.py: white space and control characters. */
  function isBreak(c) {
    if (BREAK_RE) return BREAK_RE.test(c);
    return /^\s$/.test(c) || c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7F && c.charCodeAt(0) < 0xA0);
  }

  function isFormat(c) {
    return FORMAT_RE ? FORMAT_RE.test(c) : /^[\u00AD\u200B-\u200F\u2060-\u2064]$/.test(c);
  }

  /* The traditional-to-simplified table (sitegen/search/variants.py), from
   * assets/search-fold.js, which the page loads before this file. */
  var t2s = null;
  function table() {
    if (t2s === null) {
      t2s = new Map();
      var data = root.SITEGEN_FOLD;
      var cps = data && data.pairs ? Array.from(data.pairs) : [];
      for (var i = 0; i + 1 < cps.length; i += 2) t2s.set(cps[i], cps[i + 1]);
    }
    return t2s;
  }

  var foldCache = new Map();

  /* Mirrors fold_char() in tokenize.py: one code point -> folded string (word characters
   * simplified, white space ' ', format characters nothing, punctuation itself). A
   * unified ideograph (most of an article) is answered before the cache: highlighting
   * folds every character of the shown articles. */
  function foldChar(ch) {
    if (ch.length === 1) {
      var unit = ch.charCodeAt(0);
      if (unit >= 0x4E00 && unit <= 0x9FFF) {
        var simple = table().get(ch);
        return simple === undefined ? ch : simple;
      }
    }
    var hit = foldCache.get(ch);
    if (hit !== undefined) return hit;
    var out = '';
    for (var c of ch.normalize('NFKC').toLowerCase()) {
      if (isWordChar(c)) {
        var s = table().get(c);
        out += s === undefined ? c : s;
      } else if (isBreak(c)) {
        out += ' ';
      } else if (!isFormat(c)) {
        out += c;
      }
    }
    foldCache.set(ch, out);
    return out;
  }

  /* Mirrors fold(): the search key, white space stretches as single spaces. */
  function fold(text) {
    var s = '';
    for (var ch of String(text)) s += foldChar(ch);
    return s.split(' ').filter(function (r) { return r.length > 0; }).join(' ');
  }

  /* Mirrors split_key(): the runs of a key and the gaps between consecutive runs. */
  function splitKey(key) {
    var out = [];
    var gaps = [];
    var run = '';
    var gap = '';
    for (var c of String(key)) {
      if (isWordChar(c)) {
        if (gap) {
          if (out.length) gaps.push(gap);
          gap = '';
        }
        run += c;
      } else {
        if (run) {
          out.push(run);
          run = '';
        }
        gap += c;
      }
    }
    if (run) out.push(run);
    return { runs: out, gaps: gaps };
  }

  /* Mirrors runs(): maximal stretches of word characters of the folded text. */
  function runs(text) {
    return splitKey(fold(text)).runs;
  }

  /* Mirrors part_key(): the fold from the first to the last word character. */
  function partKey(text) {
    var cps = Array.from(fold(text));
    var start = 0;
    var end = cps.length;
    while (start < end && !isWordChar(cps[start])) start++;
    while (end > start && !isWordChar(cps[end - 1])) end--;
    return cps.slice(start, end).join('');
  }

  /* Mirrors run_grams(): bigrams in order, then trigrams, then every character. */
  function runGrams(run) {
    var cps = Array.from(run);
    var grams = [];
    for (var i = 0; i + 1 < cps.length; i++) grams.push(cps[i] + cps[i + 1]);
    for (i = 0; i + 2 < cps.length; i++) grams.push(cps[i] + cps[i + 1] + cps[i + 2]);
    return grams.concat(cps);
  }

  /* Mirrors junction(): last character, the punctuation, first character of the next
   * run; null across white space. */
  function junction(left, gap, right) {
    if (gap.indexOf(' ') >= 0) return null;
    var l = Array.from(left);
    return l[l.length - 1] + gap + Array.from(right)[0];
  }

  /* Mirrors gram_terms(): each run's grams, then the junction to the next run. */
  function gramTerms(text) {
    var k = splitKey(fold(text));
    var out = [];
    k.runs.forEach(function (r, i) {
      Array.prototype.push.apply(out, runGrams(r));
      if (i + 1 < k.runs.length) {
        var j = junction(r, k.gaps[i], k.runs[i + 1]);
        if (j !== null) out.push(j);
      }
    });
    return out;
  }

  /* Mirrors part_terms(): what an article must all have to match a part with this key. */
  function partTerms(key) {
    var k = splitKey(key);
    var rs = k.runs;
    if (rs.length === 1 && Array.from(rs[0]).length === 1) return [rs[0]];
    var out = [];
    var seen = Object.create(null);
    function add(t) { if (!seen[t]) { seen[t] = true; out.push(t); } }
    rs.forEach(function (r, i) {
      var cps = Array.from(r);
      var size = Math.min(cps.length, GRAM_MAX);
      if (size > 1) {
        for (var n = 0; n + size <= cps.length; n++) add(cps.slice(n, n + size).join(''));
      }
      if (i + 1 < rs.length) {
        var j = junction(r, k.gaps[i], rs[i + 1]);
        if (j !== null) add(j);
      }
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
    // Index loops rather than for-of: this runs over every shown article's whole text.
    for (var i = 0; i < text.length;) {
      var unit = text.charCodeAt(i);
      var size = unit >= 0xD800 && unit <= 0xDBFF && i + 1 < text.length &&
        (text.charCodeAt(i + 1) & 0xFC00) === 0xDC00 ? 2 : 1;
      var f = foldChar(size === 1 ? text.charAt(i) : text.slice(i, i + 2));
      // per UTF-16 unit of the fold (a surrogate is never the separator)
      for (var u = 0; u < f.length; u++) {
        var c = f.charAt(u);
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
        starts.push(i);
        ends.push(i + size);
      }
      i += size;
    }
    return { key: key, starts: starts, ends: ends };
  }

  /* The query's parts: white-space separated, each folded to its key (partKey). A part
   * starting with '-' (and more) excludes articles containing it. Parts with no word
   * characters are dropped. */
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
      var key = partKey(body);
      if (!key) return;
      var id = (negative ? '-' : '+') + key;
      if (seen[id]) return;
      seen[id] = true;
      parts.push({ raw: raw, key: key, runs: splitKey(key).runs, negative: negative,
        terms: partTerms(key) });
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

  /* Mirrors fingerprints() in shards.py: the term's directory fingerprint, the top 24 bits
   * of FNV-1a over U+0001 and the term. */
  function fingerprint(term) {
    return fnv1a('\u0001' + term) >>> 8;
  }

  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

  /* Mirrors heavy_file() in shards.py: 'h/' + the hex of the term's UTF-8 + '.js'. */
  function heavyFile(term) {
    var hex = '';
    function byte(b) { hex += (b < 16 ? '0' : '') + b.toString(16); }
    for (var ch of term) {
      var cp = ch.codePointAt(0);
      if (cp < 0x80) {
        byte(cp);
      } else if (cp < 0x800) {
        byte(0xC0 | (cp >> 6)); byte(0x80 | (cp & 63));
      } else if (cp < 0x10000) {
        byte(0xE0 | (cp >> 12)); byte(0x80 | ((cp >> 6) & 63)); byte(0x80 | (cp & 63));
      } else {
        byte(0xF0 | (cp >> 18)); byte(0x80 | ((cp >> 12) & 63));
        byte(0x80 | ((cp >> 6) & 63)); byte(0x80 | (cp & 63));
      }
    }
    return 'h/' + hex + '.js';
  }

  /* Mirrors bucket_key(): a word's first three code points, any other term itself. */
  function bucketKey(term) {
    var cps = Array.from(term);
    return cps.length > 3 && isWordChar(cps[1]) ? cps[0] + cps[1] + cps[2] : term;
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
    var folds = root.SITEGEN_FOLD;
    if (data.fold !== (folds && folds.digest)) {
      throw new Error('search index folds with table ' + data.fold + ', search-fold.js has ' +
        (folds && folds.digest));
    }
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
  var store = { shards: Object.create(null), docs: Object.create(null),
    dirs: Object.create(null), lengths: Object.create(null) };
  function shard(seg, fid, data) { store.shards[seg + '/' + fid] = data; }
  function doc(ref, data) { store.docs[ref] = data; }
  /* A directory file (directory_files() in shards.py): fixed-width entries, a fingerprint
   * in four base64url characters, then a base64url code per pack: 1 light, 2 heavy, and
   * 4 << f where the heavy postings need the pack's lengths of field f (0 absent). */
  function dir(k, text) { store.dirs[k] = { text: text, map: null }; }
  /* A month's lengths of field f, for its heavy parts' postings (which leave them out):
   * length_code() in shards.py, decoded when first used. */
  function lengths(seg, f, text) {
    (store.lengths[seg] || (store.lengths[seg] = []))[f] = text;
  }
  function lengthsOf(seg, f) {
    var all = store.lengths[seg];
    var text = all && all[f];
    if (typeof text !== 'string') return text || null;
    all[f] = decodeLengths(text);
    return all[f];
  }
  /* length_code() read back: two base64url digits a length, or '_' and three. A
   * character-code table and one preallocated array: B64.indexOf and a growing list
   * took 26 ms of a ten-year query's 330. */
  var B64_VALUE = (function () {
    var table = new Int32Array(128).fill(-1);
    for (var i = 0; i < B64.length; i++) table[B64.charCodeAt(i)] = i;
    return table;
  })();
  function decodeLengths(text) {
    var out = new Int32Array(text.length >> 1);
    var n = 0;
    for (var i = 0; i < text.length;) {
      var a = B64_VALUE[text.charCodeAt(i)];
      if (a === 63) {
        out[n++] = (B64_VALUE[text.charCodeAt(i + 1)] << 12) | (B64_VALUE[text.charCodeAt(i + 2)] << 6) |
          B64_VALUE[text.charCodeAt(i + 3)];
        i += 4;
      } else {
        out[n++] = (a << 6) | B64_VALUE[text.charCodeAt(i + 1)];
        i += 2;
      }
    }
    return out.subarray(0, n);
  }
  /* A part's postings (varint.py `ints_varint`) read back: five bits a character, the
   * sixth set on all of a number's but its last. A string, not an array literal, because
   * Chromium scans a string much faster than it parses numbers (measured at ten years:
   * 高质量发展's files loaded in 84 ms against 144, paired). */
  function decodeInts(text) {
    var out = new Int32Array(text.length);
    var n = 0;
    var value = 0;
    for (var i = 0; i < text.length; i++) {
      var c = B64_VALUE[text.charCodeAt(i)];
      value = (value << 5) | (c & 31);
      if (c < 32) {
        out[n++] = value;
        value = 0;
      }
    }
    return out.subarray(0, n);
  }
  function orCodes(a, b) {
    var out = '';
    for (var i = 0; i < a.length; i++) out += B64.charAt(B64_VALUE[a.charCodeAt(i)] | B64_VALUE[b.charCodeAt(i)]);
    return out;
  }
  /* The codes per pack of `term` in directory file `k` (loaded), '' when it has none. */
  function dirCodes(k, term, packs) {
    var d = store.dirs[k];
    if (!d) return null;
    if (!d.map) {
      d.map = new Map();
      var width = 4 + packs;
      for (var i = 0; i + width <= d.text.length; i += width) {
        var fp = 0;
        for (var c = 0; c < 4; c++) fp = fp * 64 + B64_VALUE[d.text.charCodeAt(i + c)];
        var codes = d.text.slice(i + 4, i + width);
        var known = d.map.get(fp);
        if (known !== undefined) codes = orCodes(known, codes);  // two terms, one fingerprint
        d.map.set(fp, codes);
      }
    }
    var codes = d.map.get(fingerprint(term));
    return codes === undefined ? '' : codes;
  }

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

  /* Numbers per posting in each field of a part (shards.py `_part`): 3 with the field
   * length; a heavy part's are listed, 2 where the pack's len-<f>.js has the lengths. */
  var LIGHT_WIDTHS = [3, 3, 3, 3];
  function widthsOf(data) { return data.w || LIGHT_WIDTHS; }

  /* Terms of one parsed shard part, indexed once: term -> {counts per field, offset in p};
   * `_heavy`, the names of the month's heavy terms of this bucket. */
  function shardTerms(data) {
    if (data._terms) return data._terms;
    if (typeof data.p === 'string') data.p = decodeInts(data.p);
    var map = new Map();
    var off = 0;
    var widths = widthsOf(data);
    for (var i = 0; i < data.t.length; i++) {
      var counts = data.c.slice(4 * i, 4 * i + 4);
      map.set(data.t[i], { counts: counts, offset: off });
      for (var f = 0; f < 4; f++) off += widths[f] * counts[f];
    }
    var heavy = new Set(data.h || []);
    data._terms = map;
    data._heavy = heavy;
    return map;
  }

  /* The value at index n of `a` sorted ascending (`a` is reordered): Hoare's selection,
   * linear on average. A common query has 100,000 matches and needs only the limit-th
   * best score of one tier; choosing it by sorting them all took 15 ms of its answer. */
  function nthSmallest(a, n) {
    var lo = 0;
    var hi = a.length - 1;
    while (lo < hi) {
      var x = a[lo];
      var y = a[(lo + hi) >> 1];
      var z = a[hi];
      var pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
      var i = lo;
      var j = hi;
      while (i <= j) {
        while (a[i] < pivot) i++;
        while (a[j] > pivot) j--;
        if (i <= j) {
          var t = a[i];
          a[i] = a[j];
          a[j] = t;
          i++;
          j--;
        }
      }
      if (n <= j) hi = j;
      else if (n >= i) lo = i;
      else return a[n];
    }
    return a[n];
  }

  /* Which matches (parallel arrays of tiers, 0/1, and scores) can be among the first
   * `limit` of the ranking: a Uint8Array of keep flags (what search() asks lunr to rank).
   * Kept: every match ranked at or above the limit-th one by (tier, score), and every
   * match of its tier whose score is within eps of its score. The final order also breaks
   * ties by date and ref, but those only order equal (tier, score), and all of the
   * limit-th match's equals are kept. eps absorbs the last-bit difference between the
   * approximate score and lunr's (the same products, summed in another order); it is far
   * below any real score difference (weights have three decimals). */
  function selectCandidates(tiers, scores, limit) {
    var keep = new Uint8Array(tiers.length);
    if (!(limit < tiers.length)) return keep.fill(1);
    if (!(limit >= 1)) return keep;
    var top = 0;
    for (var i = 0; i < tiers.length; i++) if (tiers[i] === 0) top++;
    var tier = limit <= top ? 0 : 1;
    var rank = tier === 0 ? limit : limit - top;  // the limit-th match is this tier's rank-th
    var same = new Float64Array(tier === 0 ? top : tiers.length - top);
    var m = 0;
    for (i = 0; i < tiers.length; i++) if (tiers[i] === tier) same[m++] = scores[i];
    var sK = nthSmallest(same, same.length - rank);
    var floor = sK - 1e-9 * Math.max(1, sK);
    for (i = 0; i < tiers.length; i++) {
      keep[i] = tiers[i] < tier || (tiers[i] === tier && scores[i] >= floor) ? 1 : 0;
    }
    return keep;
  }

  /* Decodes `total` postings from `runs` (see match()) into the typed arrays of `a`: each
   * posting's dense document number, field and lunr vector weight (lunr 2.3.9's BM25 as
   * lunr.py stores it, round3), its link in its document's chain (head/next), the
   * document's dot product with the query vector (run.q, the term's query weight), and, for
   * required terms (run.tally, a serial), how many a document has (have, deduplicated with
   * stamp) and has in its title (inTitle).
   *
   * One flat loop over every posting, switching runs inside it, in a function of its own:
   * the page runs this once, so most of it runs before the engine has optimized it. The
   * engine optimizes a running loop from its inside (OSR), compiling the whole function,
   * and leaves that code again whenever an inner loop ends: nested loops in the big
   * match() spent most of their time in the interpreter. */
  function decodeRuns(runs, total, a) {
    var k1 = a.k1;
    var b = a.b;
    var boosts = a.boosts;
    var avg = a.avg;
    var titleField = a.titleField;
    var docs = a.docs;
    var fieldOf = a.fields;
    var weights = a.weights;
    var head = a.head;
    var next = a.next;
    var dots = a.dots;
    var stamp = a.stamp;
    var have = a.have;
    var inTitle = a.inTitle;
    var left = 0;
    var r = -1;
    var run = null;
    var p = null;
    var pos = 0;
    var d = 0;
    var f = 0;
    var idf = 0;
    var q = 0;
    var tally = 0;
    var title = false;
    var boost = 0;
    var avgLength = 0;
    var width = 3;
    var lens = null;
    var start = 0;
    for (var g = 0; g < total; g++) {
      while (left === 0) {
        run = runs[++r];
        p = run.p;
        pos = run.pos;
        left = run.count;
        d = run.start;
        f = run.field;
        idf = run.idf;
        q = run.q;
        tally = run.tally;
        title = tally !== 0 && f === titleField;
        boost = boosts[f];
        avgLength = avg[f];
        width = run.width;
        lens = run.lens;
        start = run.start;
      }
      d += p[pos];
      var tf = p[pos + 1];
      var length = width === 3 ? p[pos + 2] : lens[d - start];
      var score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (length / avgLength)) + tf);
      score *= boost;
      // round3(score), its common case inline and without calls (x | 0 is floor(x) and
      // (x + 0.5) | 0 is Math.round(x) for these x: positive, < 2^31, not near a half)
      var x = score * 1000;
      var half = x - (x | 0) - 0.5;
      var w = (half > 1e-6 || half < -1e-6) && x < 2147483647 ? ((x + 0.5) | 0) / 1000 : round3(score);
      docs[g] = d;
      fieldOf[g] = f;
      weights[g] = w;
      next[g] = head[d];
      head[d] = g;
      if (q !== 0) dots[d] += q * w;
      if (tally !== 0) {
        if (stamp[d] !== tally) {
          stamp[d] = tally;
          have[d]++;
        }
        if (title) inTitle[d]++;
      }
      pos += width;
      left--;
    }
  }

  /* A searcher over the split index: search(q, limit) -> Promise of rank()'s answer for the
   * first `limit` results (default manifest.shown; Infinity for all), plus `count` (every
   * match), `candidates` (how many lunr ranked), the serialized assembled index (`index`)
   * and timing. rank()'s `hits` and `rawHits` are lunr's over the candidates.
   *
   * lunr is far too slow to rank every match of a common query (17,000 of a year's 20,000
   * articles match 高质量发展: most of a second for lunr's sets, maps and vectors), so the
   * work is split. Over flat typed arrays of the query terms' postings, plain loops find the
   * matches, their tiers and an approximate lunr score (lunr's own arithmetic: the query
   * vector's dot product with the document's field vectors, over its magnitude, summed over
   * fields), and choose the candidates that can be in the first `limit` (selectCandidates).
   * lunr then scores just those, from an index of the candidates' postings only. That
   * changes no candidate's score: a score reads only the document's own field vectors and
   * the query vector, and the query vector only which clause terms the index has, so every
   * term found keeps its place (and number) in the index even when no candidate has it. */
  function createSplitSearcher(lunr, manifest, load) {
    checkManifest(lunr, manifest);
    var segments = manifest.segments;
    var fields = manifest.fields;
    var shown = manifest.shown || 20;
    var nDocs = 0;
    var sums = fields.map(function () { return 0; });
    // Documents are numbered densely (segment by segment) for the typed arrays:
    // segment s holds numbers segStart[s] .. segStart[s] + count - 1.
    var segStart = [];
    segments.forEach(function (s) {
      segStart.push(nDocs);
      nDocs += s.count;
      s.lengths.forEach(function (v, f) { sums[f] += v; });
    });
    var avg = sums.map(function (v) { return v / nDocs; });
    /* lunr's ref of dense number d, made only for the documents that enter an index. */
    function refString(d) {
      var lo = 0;
      var hi = segments.length;  // the segment: the last with segStart <= d
      while (hi - lo > 1) {
        var mid = (lo + hi) >> 1;
        if (segStart[mid] <= d) lo = mid;
        else hi = mid;
      }
      var seg = segments[lo];
      return String(seg.year * manifest.refBase + seg.first + (d - segStart[lo]));
    }
    var titleField = fields.indexOf('title');
    function bucketRel(seg, term) {
      var buckets = manifest.packs[seg.pack];
      return 'search/' + seg.pack + '/' + ((fnv1a(bucketKey(term)) & (buckets - 1)) >>> 0) + '.js';
    }
    function lightShard(seg, term) {
      return store.shards[seg.key + '/' + ((fnv1a(bucketKey(term)) & (seg.buckets - 1)) >>> 0)];
    }
    function isHeavy(seg, term) {
      var data = lightShard(seg, term);
      return !!data && !!shardTerms(data) && data._heavy.has(term);
    }
    function hasTerm(t) {
      return segments.some(function (seg) {
        if (store.shards[seg.key + '/h/' + t]) return true;
        var data = lightShard(seg, t);
        return !!data && (shardTerms(data).has(t) || data._heavy.has(t));
      });
    }
    /* The loaded shard part holding the postings of `term` in `seg` and its entry there:
     * its heavy part when that is loaded (the directory may have skipped the light file),
     * else its light part. */
    function entryOf(seg, term) {
      var data = store.shards[seg.key + '/h/' + term];
      if (!data) {
        data = lightShard(seg, term);
        if (!data || (shardTerms(data) && data._heavy.has(term))) return null;
      }
      var entry = shardTerms(data).get(term);
      return entry ? { p: data.p, counts: entry.counts, offset: entry.offset, widths: widthsOf(data),
        seg: seg.key } : null;
    }
    /* Collects the postings of the query's terms and computes, for every document, what
     * rank() will decide: the matches after negative parts, their tiers and approximate
     * lunr scores. Returns {found, clauses, fields, weights, head, next, count, docs, tiers,
     * scores}: `found`, the terms the index has, in UTF-16 order
     * (Array.prototype.sort's, lunr's term numbers), each {term, index, count, begin, docs}:
     * its postings are numbers begin .. begin + count - 1 of the posting arrays (`docs`
     * their dense document numbers, `fields`, `weights` lunr's vector weights), which
     * `head` and `next` also chain per document; the clauses, as rank() will build them
     * from the assembled index; per match (`count` of them) its dense number, tier and
     * score.
     *
     * Typed arrays and one pass over the postings, because a common term has tens of
     * thousands of postings: a string or array each kept the garbage collector busy for
     * longer than lunr's ranking, and the page runs this code once, mostly before the
     * engine has optimized it, so every pass costs. The weight is lunr 2.3.9's BM25 as
     * lunr.py stores it (round3); n, the term's posting count over the whole corpus, is what
     * lunr's idf counts. The score is lunr's: the dot product of the query vector with the
     * document's field vectors, over the query vector's magnitude. lunr sums it field by
     * field, this sums the same products in another order: equal but for the last bits,
     * which selectCandidates allows for. */
    function match(terms, parts) {
      var found = [];
      terms.slice().sort().forEach(function (term) {
        var at = [];
        var n = 0;
        segments.forEach(function (seg, s) {
          var e = entryOf(seg, term);
          if (!e) return;
          at.push(s, e);
          n += e.counts[0] + e.counts[1] + e.counts[2] + e.counts[3];
        });
        if (n) found.push({ term: term, index: found.length, count: n, at: at, begin: 0, docs: null });
      });
      var byTerm = new Map();
      found.forEach(function (item) { byTerm.set(item.term, item); });
      var clauses = buildClauses(parts, function (t) { return byTerm.has(t); });
      // lunr's query vector (the same in every field: a clause covers all fields) and its
      // magnitude, summed in term-number order like lunr.Vector.
      var query = new Float64Array(found.length);
      var required = new Uint8Array(found.length);
      var need = 0;
      var missing = false;
      clauses.forEach(function (c) {
        var item = byTerm.get(c.term);
        if (c.presence === 'required') {
          need++;
          if (!item) missing = true;
          else required[item.index] = 1;
        }
        if (item) query[item.index] += c.boost;
      });
      var squares = 0;
      for (var t = 0; t < query.length; t++) squares += query[t] * query[t];
      var magnitude = Math.sqrt(squares);
      var have = new Uint16Array(nDocs);     // required terms a document has (any field)
      var inTitle = new Uint16Array(nDocs);  // ... has in its title
      var dots = new Float64Array(nDocs);    // dot product with the query vector
      var stamp = new Int32Array(nDocs);     // last term counted in `have`, by serial
      var serial = 0;
      // The runs of postings to decode (one per term, segment and field), in order, and
      // one typed array for all postings, each term's a stretch of it.
      var total = 0;
      var runs = [];
      found.forEach(function (item) {
        var at = item.at;
        var n = item.count;
        var idf = Math.log(1 + Math.abs((nDocs - n + 0.5) / (n + 0.5)));
        var tally = required[item.index] ? ++serial : 0;
        item.begin = total;
        total += n;
        for (var i = 0; i < at.length; i += 2) {
          var e = at[i + 1];
          var pos = e.offset;
          for (var f = 0; f < fields.length; f++) {
            var count = e.counts[f];
            if (!count) continue;
            runs.push({ p: e.p, pos: pos, count: count, start: segStart[at[i]], field: f,
              idf: idf, q: query[item.index], tally: tally, width: e.widths[f],
              lens: e.widths[f] === 3 ? null : lengthsOf(e.seg, f) });
            pos += e.widths[f] * count;
          }
        }
        item.at = null;
      });
      var allDocs = new Int32Array(total);
      var allFields = new Uint8Array(total);
      var allWeights = new Float64Array(total);
      // Each document's postings, chained: head[d] its last, next[g] the one before g.
      var head = new Int32Array(nDocs).fill(-1);
      var next = new Int32Array(total);
      decodeRuns(runs, total, { k1: manifest.k1, b: manifest.b, boosts: manifest.boosts, avg: avg,
        titleField: titleField, docs: allDocs, fields: allFields, weights: allWeights,
        head: head, next: next, dots: dots, stamp: stamp, have: have, inTitle: inTitle });
      found.forEach(function (item) { item.docs = allDocs.subarray(item.begin, item.begin + item.count); });
      var state = { found: found, clauses: clauses, fields: allFields, weights: allWeights,
        head: head, next: next, count: 0, docs: new Int32Array(0), tiers: new Uint8Array(0),
        scores: new Float64Array(0) };
      // lunr: no required clause, no hits (rank() asks nothing); a required term missing
      // from the index, no hits.
      if (!need || missing) return state;
      // A negative part excludes the documents that have all of its terms; a part with a
      // term the index lacks excludes nothing.
      parts.forEach(function (part) {
        if (!part.negative || !part.terms.every(function (t) { return byTerm.has(t); })) return;
        var count = new Uint16Array(nDocs);
        part.terms.forEach(function (t) {
          var docs = byTerm.get(t).docs;
          serial++;
          for (var k = 0; k < docs.length; k++) {
            var d = docs[k];
            if (stamp[d] !== serial) {
              stamp[d] = serial;
              if (++count[d] === part.terms.length) have[d] = 0;
            }
          }
        });
      });
      // Every match has the rarest required term: its postings list them all.
      var rarest = null;
      found.forEach(function (item) {
        if (required[item.index] && (!rarest || item.count < rarest.count)) rarest = item;
      });
      var list = rarest.docs;
      var docs = new Int32Array(list.length);
      var tiers = new Uint8Array(list.length);
      var scores = new Float64Array(list.length);
      var m = 0;
      for (var k = 0; k < list.length; k++) {
        var d = list[k];
        if (have[d] !== need) continue;
        have[d] = 0;  // a document with the term in several fields is listed once
        var score = dots[d] / magnitude;
        var tier = inTitle[d] === need ? 0 : 1;
        docs[m] = d;
        tiers[m] = tier;
        scores[m] = score;
        m++;
      }
      state.count = m;
      state.docs = docs.subarray(0, m);
      state.tiers = tiers.subarray(0, m);
      state.scores = scores.subarray(0, m);
      return state;
    }
    /* The serialized lunr index of the terms found (`state` from match()) with the postings
     * of the documents `docs` (dense numbers): the unsplit index restricted to these terms
     * and documents. Every term found stays, postings or not, so term numbers and lunr's
     * query vector are those of the whole corpus. A document's postings are read from its
     * chain (match() links them), so this costs what the candidates have, not the terms. */
    function assemble(state, docs) {
      var found = state.found;
      var inverted = [];
      var byTerm = found.map(function (item) {
        var posting = { _index: item.index };
        inverted.push([item.term, posting]);
        return fields.map(function (f) { return (posting[f] = {}); });
      });
      var fieldVectors = [];
      docs.forEach(function (d) {
        var ref = refString(d);
        var chain = [];
        for (var g = state.head[d]; g >= 0; g = state.next[g]) chain.push(g);
        var vectors = fields.map(function () { return null; });
        var t = 0;
        // ascending g: terms in number order, as lunr.Vector needs its elements
        for (var i = chain.length - 1; i >= 0; i--) {
          g = chain[i];
          while (found[t].begin + found[t].count <= g) t++;
          var f = state.fields[g];
          byTerm[t][f][ref] = {};
          if (!vectors[f]) {
            vectors[f] = [];
            fieldVectors.push([fields[f] + '/' + ref, vectors[f]]);
          }
          vectors[f].push(found[t].index, state.weights[g]);
        }
      });
      return {
        version: manifest.lunr,
        fields: fields.slice(),
        fieldVectors: fieldVectors,
        invertedIndex: inverted,
        pipeline: manifest.pipeline.slice()
      };
    }
    /* The query's terms (part terms, then index words), with every shard file that holds
     * their postings loaded. */
    function loadTerms(parts) {
      var base = [];
      parts.forEach(function (p) { Array.prototype.push.apply(base, p.terms); });
      base = Array.from(new Set(base));
      function loadAll(rels) { return Promise.all(Array.from(new Set(rels)).map(function (rel) { return load(rel); })); }
      if (manifest.dir) return loadByDirectory(parts, base, loadAll);
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
            if (isHeavy(seg, t)) second.push('search/' + seg.pack + '/' + heavyFile(t));
          });
        });
        return loadAll(second).then(function () { return terms; });
      });
    }
    var packIndex = Object.create(null);
    (manifest.dirPacks || []).forEach(function (pack, i) { packIndex[pack] = i; });
    /* Mirrors directory_files(): the top log2(dir) bits of the term's bucket hash. */
    var dirBits = Math.round(Math.log2(manifest.dir || 1));
    function dirFile(term) { return dirBits ? fnv1a(bucketKey(term)) >>> (32 - dirBits) : 0; }
    var past = manifest.past || [];
    var isPast = Object.create(null);
    past.forEach(function (pack) { isPast[pack] = true; });
    /* The files holding `term`'s postings, by the directory (loaded): each pack's light
     * file where it is a light term in some month, its heavy file where heavy, with the
     * pack's lengths files its heavy postings need (asked for with them, not after). Of
     * the completed years' packs (`past`, past.py), the joined files instead: the term's
     * one heavy file, and a field's lengths joined when every one of those packs needs
     * them (else each pack's that does: a term heavy in one year reads one year's). */
    function termFiles(term) {
      var codes = dirCodes(dirFile(term), term, manifest.dirPacks.length);
      var rels = [];
      var pastLengths = fields.map(function () { return []; });
      for (var i = 0; i < codes.length; i++) {
        var c = B64_VALUE[codes.charCodeAt(i)];
        if (!c) continue;
        var pack = manifest.dirPacks[i];
        if (c & 1) {
          rels.push('search/' + pack + '/' + ((fnv1a(bucketKey(term)) & (manifest.packs[pack] - 1)) >>> 0) + '.js');
        }
        if (c & 2) rels.push('search/' + (isPast[pack] ? 'past' : pack) + '/' + heavyFile(term));
        for (var f = 0; f < fields.length; f++) {
          if (!(c & (4 << f))) continue;
          if (isPast[pack]) pastLengths[f].push(pack);
          else rels.push('search/' + pack + '/len-' + f + '.js');
        }
      }
      pastLengths.forEach(function (packs, f) {
        if (!packs.length) return;
        if (packs.length === past.length) rels.push('search/past/len-' + f + '.js');
        else packs.forEach(function (pack) { rels.push('search/' + pack + '/len-' + f + '.js'); });
      });
      return rels;
    }
    /* loadTerms with the term directory: the directory files of the query's terms first
     * (words share their first trigram's); a positive part with a term the directory
     * lacks matches nothing, and nothing more is loaded. Otherwise each term's files in
     * the packs that hold it, and the index words of the runs: found longest-first like
     * vocabularyWords() does with the whole index, asking the postings for every term
     * already loaded and the directory for the others, until every word that choice
     * makes is loaded (a directory fingerprint shared by two terms can only add a load,
     * never change the words). */
    function loadByDirectory(parts, base, loadAll) {
      function dirRels(terms) {
        return terms.map(function (t) { return 'search/t/' + dirFile(t) + '.js'; });
      }
      function inDirectory(t) {
        var codes = dirCodes(dirFile(t), t, manifest.dirPacks.length);
        return !!codes && /[^A]/.test(codes);
      }
      return loadAll(dirRels(base)).then(function () {
        var absent = parts.some(function (p) {
          return !p.negative && !p.terms.every(inDirectory);
        });
        if (absent || !parts.some(function (p) { return !p.negative; })) return base;
        var asked = Object.create(null);
        function fetch(terms) {
          var rels = [];
          terms.forEach(function (t) {
            if (asked[t]) return;
            asked[t] = true;
            if (inDirectory(t)) Array.prototype.push.apply(rels, termFiles(t));
          });
          return loadAll(rels);
        }
        function has(t) { return asked[t] ? hasTerm(t) : inDirectory(t); }
        function words() {
          var out = [];
          parts.forEach(function (p) {
            if (p.negative) return;
            p.runs.forEach(function (r) { Array.prototype.push.apply(out, vocabularyWords(r, has)); });
          });
          return out;
        }
        function settle(terms) {
          var more = words().filter(function (w) { return !asked[w]; });
          if (!more.length) return Array.from(new Set(terms.concat(words())));
          return loadAll(dirRels(more)).then(function () { return fetch(more); })
            .then(function () { return settle(terms); });
        }
        return fetch(base).then(function () { return settle(base); });
      });
    }
    // The last query's matches: "显示更多" asks again with a bigger limit and gets them
    // without collecting the postings again.
    var last = { q: null, state: null };
    function search(q, limit) {
      if (!(limit > 0)) limit = shown;
      var t0 = now();
      q = String(q || '').slice(0, MAX_QUERY);
      var parts = parseQuery(q);
      return loadTerms(parts).then(function (terms) {
        var t1 = now();
        var state = last.q === q ? last.state : match(terms, parts);
        last.q = q;
        last.state = state;
        var t2 = now();
        var keep = selectCandidates(state.tiers, state.scores, limit);
        var candidates = [];
        for (var i = 0; i < state.count; i++) if (keep[i]) candidates.push(state.docs[i]);
        var serialized = assemble(state, candidates);
        var idx = loadIndex(lunr, serialized);
        var out = rank(lunr, idx, manifest, parts);
        out.results = out.results.slice(0, limit);
        out.count = state.count;
        out.candidates = candidates.length;
        out.index = serialized;
        var t3 = now();
        out.timing = { loadMs: t1 - t0, searchMs: t3 - t1, matchMs: t2 - t1, rankMs: t3 - t2 };
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
    return { search: search, docsFor: docsFor, hasTerm: hasTerm, loadTerms: loadTerms,
      match: match, assemble: assemble };
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

  var api = {
    FORMAT: FORMAT,
    PIPELINE_LABELS: PIPELINE_LABELS,
    WORD_MIN: WORD_MIN,
    WORD_MAX: WORD_MAX,
    isWordChar: isWordChar,
    isBreak: isBreak,
    foldChar: foldChar,
    fold: fold,
    splitKey: splitKey,
    partKey: partKey,
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
    heavyFile: heavyFile,
    loadIndex: loadIndex,
    rank: rank,
    selectCandidates: selectCandidates,
    dateOf: dateOf,
    shard: shard,
    doc: doc,
    dir: dir,
    lengths: lengths,
    lengthsOf: lengthsOf,
    decodeInts: decodeInts,
    fingerprint: fingerprint,
    createLoader: createLoader,
    createSplitSearcher: createSplitSearcher,
    highlight: highlight,
    now: now,
    foldDigest: function () { return root.SITEGEN_FOLD ? root.SITEGEN_FOLD.digest : undefined; },
    /* the last query's timing, as the page measured it (its script sets it) */
    timing: {}
  };
  root.SitegenSearch = api;
})(typeof window !== 'undefined' ? window : this);
