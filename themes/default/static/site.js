/* sitegen default theme: the reader's font-size control, the copy buttons of an article's
 * link and citation, and the front page's date picker.
 *
 * Progressive enhancement: each control is rendered `hidden` and only shown here, so a
 * reader without JavaScript never sees buttons that do nothing (the link and citation are
 * printed as text to select, the calendar and 往期回顾 stand in for the date picker). The
 * font size is kept in localStorage (where the browser allows it; some block it for
 * file:// pages) and applied to <html data-font-size>, which the stylesheet turns into the
 * article text size.
 */
(function () {
  "use strict";
  var KEY = "sitegen-font-size";
  var SIZES = ["small", "medium", "large", "xlarge"];
  var root = document.documentElement;

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return SIZES.indexOf(value) >= 0 ? value : null;
    } catch (e) {
      return null;
    }
  }

  function remember(size) {
    try {
      window.localStorage.setItem(KEY, size);
    } catch (e) {
      /* private mode or file:// restrictions: the choice lasts for this page only */
    }
  }

  function apply(size, controls) {
    root.setAttribute("data-font-size", size);
    controls.forEach(function (group) {
      group.querySelectorAll("button[data-font-size]").forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.getAttribute("data-font-size") === size));
      });
    });
  }

  var initial = stored() || "medium";
  root.setAttribute("data-font-size", initial);

  var controls = Array.prototype.slice.call(document.querySelectorAll(".font-size"));
  controls.forEach(function (group) {
    group.hidden = false;
    group.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-font-size]");
      if (!button) {
        return;
      }
      var size = button.getAttribute("data-font-size");
      apply(size, controls);
      remember(size);
    });
  });
  apply(initial, controls);

  /* 复制链接 / 复制引用: the text of the element named by data-copy, to the clipboard (or,
   * where the Clipboard API is refused, through a selection); the result is announced. */
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy refused"));
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    var label = button.textContent;
    var status = document.querySelector(".share__status");
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(source.textContent).then(function () {
        button.textContent = "已复制";
        if (status) status.textContent = label.replace("复制", "已复制");
      }, function () {
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        if (status) status.textContent = "请按 Ctrl+C（或长按）复制已选中的文字";
      });
      window.setTimeout(function () { button.textContent = label; }, 2000);
    });
  });

  /* 往期查阅: the chosen date's paper, or the nearest ones when there is none that day. The
   * dates of every edition come with the page (data-days: {"YYYY-MM": [days]}); the link
   * is made from data-href, a relative link with YYYY-MM-DD in place of the date. */
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function cnDate(iso) {
    return Number(iso.slice(0, 4)) + "年" + Number(iso.slice(5, 7)) + "月" + Number(iso.slice(8, 10)) + "日";
  }

  Array.prototype.forEach.call(document.querySelectorAll(".date-jump__form"), function (form) {
    var days;
    try {
      days = JSON.parse(form.getAttribute("data-days"));
    } catch (e) {
      return;
    }
    var all = [];
    Object.keys(days).sort().forEach(function (month) {
      days[month].forEach(function (d) { all.push(month + "-" + pad(d)); });
    });
    var href = form.getAttribute("data-href");
    var input = form.querySelector("input[type=date]");
    var status = form.querySelector(".date-jump__status");
    function linkTo(iso) {
      var a = document.createElement("a");
      a.href = href.replace("YYYY-MM-DD", iso);
      a.textContent = cnDate(iso);
      return a;
    }
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var iso = input.value;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return;
      if (all.indexOf(iso) >= 0) {
        window.location.href = href.replace("YYYY-MM-DD", iso);
        return;
      }
      var before = null;
      var after = null;
      all.forEach(function (d) {
        if (d < iso) before = d;
        else if (after === null) after = d;
      });
      while (status.firstChild) status.removeChild(status.firstChild);
      status.appendChild(document.createTextNode(cnDate(iso) + "没有报纸。"));
      [["前一期", before], ["后一期", after]].forEach(function (pair) {
        if (!pair[1]) return;
        status.appendChild(document.createTextNode(pair[0] + "："));
        status.appendChild(linkTo(pair[1]));
        status.appendChild(document.createTextNode(" "));
      });
    });
  });
})();
