/*
 * sitegen search client: queries the prebuilt lunr.js index in assets/search-index.js.
 *
 * Plain ES2017, no build step, no network: the index arrives as a <script> (fetch of
 * file:// URLs is blocked), so the search page works from a copy on disk.
 *
 * The pure functions are exported on window.SitegenSearch and never touch the DOM, so
 * node (tests/js/query.mjs) runs exactly the code the browser runs. The page is only
 * wired up when a document with #search-results exists.
 *
 * How a query is answered (sitegen/search/tokenize.py explains the index side):
 *  1. The query is split on white space into parts. Each part is folded exactly like the
 *     indexed text (per code point: NFKC, lower case, non-word characters become
 *     separators) into runs of word characters.
 *  2. Every bigram of every run is a *required* lunr clause; a one-character run is a
 *     required prefix clause (`c*`). Every article containing the part as a substring has
 *     all of these terms, so nothing a reader means is missed.
 *  3. Runs are segmented against the index's own vocabulary (jieba's words, 3+ characters,
 *     longest first); found words are *optional boosted* clauses, so exact word matches
 *     rank higher. The browser needs no dictionary of its own.
 *  4. Bigram co-occurrence is not adjacency, so each candidate is checked: its folded text
 *     must contain every part (a part of one or two characters is a single index term and
 *     needs no check). A part written `-word` excludes articles containing it.
 *  5. Articles whose title (with kicker and subtitle) contains every part come first, then
 *     by lunr's BM25 score (field boosts: title 10, people 5, towns 3, body 1), then newest.
 *  lunr's query-string parser is never used, so `8:30`, `~`, `^`, `*`, `+-` are ordinary
 *  characters (separators) and cannot throw.
 */
(function (root) {
  'use strict';

  var FORMAT = 1;
  /* Search-pipeline labels this client registers: none. Must equal PIPELINE_LABELS in
   * sitegen/search/index.py; lunr.Index.load throws on an unregistered label. */
  var PIPELINE_LABELS = [];
  var WORD_MIN = 3;
  var WORD_MAX = 16;
  var WORD_BOOST = 10;
  var FIELDS = ['title', 'people', 'towns', 'body'];
  var MAX_SHOWN = 100;
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

  /* Mirrors run_grams(): bigrams in order, then the last character. */
  function runGrams(run) {
    var cps = Array.from(run);
    var grams = [];
    for (var i = 0; i + 1 < cps.length; i++) grams.push(cps[i] + cps[i + 1]);
    if (cps.length) grams.push(cps[cps.length - 1]);
    return grams;
  }

  /* Mirrors gram_terms(). */
  function gramTerms(text) {
    var out = [];
    runs(text).forEach(function (r) { Array.prototype.push.apply(out, runGrams(r)); });
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
      parts.push({ raw: raw, key: key, runs: rs, negative: negative });
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
   * tests replay them in lunr.py). */
  function buildClauses(parts, hasTerm) {
    var clauses = [];
    var seen = Object.create(null);
    function add(term, presence, boost, wildcard) {
      var id = term + '\u0000' + presence + '\u0000' + wildcard;
      if (seen[id]) return;
      seen[id] = true;
      clauses.push({ term: term, presence: presence, boost: boost, wildcard: wildcard });
    }
    parts.forEach(function (part) {
      if (part.negative) return;
      part.runs.forEach(function (run) {
        var cps = Array.from(run);
        if (cps.length === 1) {
          add(run, 'required', 1, 'trailing');
        } else {
          for (var i = 0; i + 1 < cps.length; i++) add(cps[i] + cps[i + 1], 'required', 1, 'none');
        }
        vocabularyWords(run, hasTerm).forEach(function (w) { add(w, 'optional', WORD_BOOST, 'none'); });
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
          wildcard: c.wildcard === 'trailing' ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE
        });
      });
    });
  }

  /* Mirrors field_texts() in index.py, from the display data. */
  function fieldTexts(doc) {
    return {
      title: [doc.kicker, doc.title, doc.subtitle].filter(Boolean).join('\n'),
      people: (doc.people || []).join('\n'),
      towns: (doc.towns || []).join('\n'),
      body: doc.body || ''
    };
  }

  function loadIndex(lunr, data) {
    if (!data || data.format !== FORMAT) {
      throw new Error('search index format ' + (data && data.format) + ', expected ' + FORMAT);
    }
    (data.index.pipeline || []).forEach(function (label) {
      if (PIPELINE_LABELS.indexOf(label) < 0 || !lunr.Pipeline.registeredFunctions[label]) {
        throw new Error('search index needs unregistered pipeline function ' + label);
      }
    });
    return lunr.Index.load(data.index);
  }

  /* A searcher over a loaded index: search(q) -> {parts, clauses, results}. Each result is
   * {ref, score, tier, doc}; tier 0 means the title contains every part. */
  function createSearcher(lunr, idx, data) {
    var titleKeys = new Map();
    var allKeys = new Map();
    function hasTerm(t) { return Object.prototype.hasOwnProperty.call(idx.invertedIndex, t); }
    function titleKey(ref) {
      var k = titleKeys.get(ref);
      if (k === undefined) {
        k = fold(fieldTexts(data.docs[Number(ref)]).title);
        titleKeys.set(ref, k);
      }
      return k;
    }
    function allKey(ref) {
      var k = allKeys.get(ref);
      if (k === undefined) {
        var texts = fieldTexts(data.docs[Number(ref)]);
        k = FIELDS.map(function (f) { return f === 'title' ? titleKey(ref) : fold(texts[f]); }).join('\n');
        allKeys.set(ref, k);
      }
      return k;
    }
    /* A part that is one run of one or two characters is exactly one index term (or a
     * prefix of terms): lunr's match already proves the article contains it, and the
     * costly full-text check can be skipped. */
    function needsCheck(part) {
      return part.runs.length > 1 || Array.from(part.runs[0]).length > 2;
    }
    function search(q) {
      // A pasted article would make thousands of clauses; the start of it is plenty.
      var parts = parseQuery(String(q || '').slice(0, MAX_QUERY));
      var positive = parts.filter(function (p) { return !p.negative; });
      var negative = parts.filter(function (p) { return p.negative; });
      var toCheck = positive.filter(needsCheck);
      var clauses = buildClauses(parts, hasTerm);
      var hits = positive.length ? runClauses(lunr, idx, clauses) : [];
      var results = [];
      hits.forEach(function (hit) {
        var ok = toCheck.every(function (p) { return allKey(hit.ref).indexOf(p.key) >= 0; }) &&
                 !negative.some(function (p) { return allKey(hit.ref).indexOf(p.key) >= 0; });
        if (!ok) return;
        var title = titleKey(hit.ref);
        var tier = positive.every(function (p) { return title.indexOf(p.key) >= 0; }) ? 0 : 1;
        results.push({ ref: hit.ref, score: hit.score, tier: tier, doc: data.docs[Number(hit.ref)] });
      });
      results.sort(function (a, b) {
        if (a.tier !== b.tier) return a.tier - b.tier;
        if (a.score !== b.score) return b.score - a.score;
        if (a.doc.date !== b.doc.date) return a.doc.date < b.doc.date ? 1 : -1;
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
    return { search: search, hasTerm: hasTerm };
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

  function statusText(q, count) {
    if (!String(q || '').trim()) return '请输入要搜索的词语';
    if (!count) return '没有找到与“' + q + '”相关的文章';
    if (count > MAX_SHOWN) return '找到 ' + count + ' 篇文章，显示前 ' + MAX_SHOWN + ' 篇';
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
    foldWithMap: foldWithMap,
    parseQuery: parseQuery,
    vocabularyWords: vocabularyWords,
    buildClauses: buildClauses,
    fieldTexts: fieldTexts,
    loadIndex: loadIndex,
    createSearcher: createSearcher,
    highlight: highlight,
    statusText: statusText,
    timing: {}
  };
  root.SitegenSearch = api;

  /* ---------------------------------------------------------------- the page */

  function now() {
    return (typeof performance !== 'undefined' && performance.now) ? performance.now() : Date.now();
  }

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

  function initPage(doc) {
    var list = doc.getElementById('search-results');
    if (!list) return;
    var status = doc.getElementById('search-status');
    var input = doc.getElementById('search-q');
    var q = new URLSearchParams(root.location ? root.location.search : '').get('q') || '';
    if (input) input.value = q;
    function say(text) { if (status) status.textContent = text; }
    if (!q.trim()) {
      say(statusText(q, 0));
      return;
    }
    var lunr = root.lunr;
    var data = root.SITEGEN_SEARCH;
    if (!lunr || !data) {
      say('搜索索引未能加载。');
      return;
    }
    var out;
    try {
      var t0 = now();
      var idx = loadIndex(lunr, data);
      var t1 = now();
      out = createSearcher(lunr, idx, data).search(q);
      api.timing = { loadMs: t1 - t0, searchMs: now() - t1 };
    } catch (e) {
      say('搜索出错：' + (e && e.message ? e.message : String(e)));
      return;
    }
    var keys = out.parts.filter(function (p) { return !p.negative; }).map(function (p) { return p.key; });
    while (list.firstChild) list.removeChild(list.firstChild);
    out.results.slice(0, MAX_SHOWN).forEach(function (r) { list.appendChild(renderResult(doc, r, keys)); });
    say(statusText(q, out.results.length));
  }

  if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', function () { initPage(document); });
    } else {
      initPage(document);
    }
  }
})(typeof window !== 'undefined' ? window : this);
