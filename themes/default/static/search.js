/*
 * The default theme's search page: reads ?q=, asks sitegen's search client
 * (assets/search-client.js, window.SitegenSearch: see sitegen/search/client.js) for the
 * answer and shows it: the status line, the result list with highlighted titles and
 * snippets, and "显示更多". Only wording and DOM live here; a theme of its own writes its
 * own page script against the same engine.
 *
 * The page's pure helpers are exported on window.SitegenSearchPage for node's tests.
 */
(function (root) {
  'use strict';

  var S = root.SitegenSearch;

  /* `2023年9月19日` for `2023-09-19`: the date as every page of the site prints it. */
  function cnDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso || ''));
    return m ? Number(m[1]) + '年' + Number(m[2]) + '月' + Number(m[3]) + '日' : String(iso || '');
  }

  function statusText(q, count, shown) {
    if (!String(q || '').trim()) return '请输入要搜索的词语';
    if (!count) return '没有找到与“' + q + '”相关的文章';
    if (shown !== undefined && count > shown) return '找到 ' + count + ' 篇文章，显示前 ' + shown + ' 篇';
    return '找到 ' + count + ' 篇文章';
  }

  root.SitegenSearchPage = { cnDate: cnDate, statusText: statusText };

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
    appendSegments(doc, a, S.highlight(r.doc.title, keys, false));
    h.appendChild(a);
    li.appendChild(h);
    if (r.doc.subtitle) {
      var sub = doc.createElement('p');
      sub.className = 'search-result-subtitle';
      appendSegments(doc, sub, S.highlight(r.doc.subtitle, keys, false));
      li.appendChild(sub);
    }
    var meta = doc.createElement('p');
    meta.className = 'search-result-meta';
    [['time', r.doc.date], ['span', r.doc.page], ['span', r.doc.bylines]].forEach(function (item) {
      if (!item[1]) return;
      if (meta.childNodes.length) meta.appendChild(doc.createTextNode(' · '));
      var el = doc.createElement(item[0]);
      if (item[0] === 'time') el.setAttribute('datetime', item[1]);
      el.textContent = item[0] === 'time' ? cnDate(item[1]) : item[1];
      meta.appendChild(el);
    });
    li.appendChild(meta);
    var snip = doc.createElement('p');
    snip.className = 'search-result-snippet';
    appendSegments(doc, snip, S.highlight(r.doc.body, keys, true));
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
    if (!lunr || !manifest || !S) {
      say('搜索索引未能加载。');
      return;
    }
    say('正在搜索…');
    var searcher;
    try {
      searcher = S.createSplitSearcher(lunr, manifest, S.createLoader(scriptLoader(doc)).load);
    } catch (e) {
      fail(e);
      return;
    }
    var step = manifest.shown || 20;
    var shown = 0;
    var more = null;
    var busy = false;
    var t0 = S.now();
    searcher.search(q, step).then(function (out) {
      var keys = out.parts.filter(function (p) { return !p.negative; }).map(function (p) { return p.key; });
      while (list.firstChild) list.removeChild(list.firstChild);
      /* The next `step` results: ranked already, or ranked now by asking the searcher for
       * more (it keeps the query's matches, so only the final lunr ranking runs again; the
       * first results of a longer list are the shorter list). */
      function showMore() {
        var want = shown + step;
        var ready = out.results.length >= Math.min(want, out.count) ? Promise.resolve(out) : searcher.search(q, want);
        return ready.then(function (o) {
          out = o;
          var batch = out.results.slice(shown, want);
          return searcher.docsFor(batch).then(function (docs) {
            batch.forEach(function (r, i) { list.appendChild(renderResult(doc, { doc: docs[i] }, keys)); });
            shown += batch.length;
            say(statusText(q, out.count, shown));
            if (shown < out.count) {
              if (!more) {
                more = doc.createElement('button');
                more.type = 'button';
                more.id = 'search-more';
                more.textContent = '显示更多';
                more.addEventListener('click', function () {
                  // one batch at a time: a second click while one loads would show it twice
                  if (busy) return;
                  busy = true;
                  more.disabled = true;
                  showMore().catch(fail).then(function () {
                    busy = false;
                    if (more) more.disabled = false;
                  });
                });
                list.parentNode.insertBefore(more, list.nextSibling);
              }
            } else if (more) {
              more.parentNode.removeChild(more);
              more = null;
            }
          });
        });
      }
      return showMore().then(function () {
        var timing = { totalMs: S.now() - t0 };
        Object.keys(out.timing).forEach(function (k) { timing[k] = out.timing[k]; });
        S.timing = timing;
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
