/* sitegen default theme: the reader's font-size control.
 *
 * Progressive enhancement: the control is rendered `hidden` and only shown here, so a
 * reader without JavaScript never sees buttons that do nothing. The choice is kept in
 * localStorage (where the browser allows it; some block it for file:// pages) and applied
 * to <html data-font-size>, which the stylesheet turns into the article text size.
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
})();
