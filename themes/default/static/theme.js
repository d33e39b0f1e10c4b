// Default theme behaviour. Every feature works from the static files alone, and the
// pages stay readable without JavaScript. Strings come from data- attributes the
// templates fill in the partner's language.
(function () {
  "use strict";
  var root = document.documentElement;
  var body = document.body;
  var partner = root.getAttribute("data-partner") || "site";

  function store(key, value) {
    try {
      if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value);
    } catch (e) { /* private mode: features still work for this visit */ }
  }
  function load(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }

  // Small screens: the sidebar starts folded behind its "Browse" button.
  var sidebar = document.querySelector("details.sidebar");
  if (sidebar) {
    var narrow = window.matchMedia("(max-width: 60rem)");
    var fit = function () { sidebar.open = !narrow.matches; };
    fit();
    narrow.addEventListener("change", fit);
  }

  // Dark mode: follows the system until the reader picks, then remembers the pick.
  var toggle = document.querySelector(".theme-toggle");
  if (toggle) {
    var isDark = function () {
      var forced = root.getAttribute("data-theme");
      return forced ? forced === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
    };
    var show = function () { toggle.setAttribute("aria-pressed", String(isDark())); };
    toggle.hidden = false;
    show();
    toggle.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      store("kb-theme", next);
      show();
    });
  }

  // Checklists: task items become real checkboxes, remembered per partner and page.
  var boxes = Array.prototype.slice.call(document.querySelectorAll(".prose input.task"));
  if (boxes.length) {
    var key = "kb-checklist:" + partner + ":" + location.pathname;
    var saved = (load(key) || "").split("");
    boxes.forEach(function (box, i) {
      box.disabled = false;
      if (saved[i] === "1" || saved[i] === "0") box.checked = saved[i] === "1";
      box.addEventListener("change", function () {
        store(key, boxes.map(function (b) { return b.checked ? "1" : "0"; }).join(""));
      });
    });
    var reset = document.querySelector(".checklist-reset");
    if (reset) {
      reset.hidden = false;
      reset.addEventListener("click", function () {
        boxes.forEach(function (b) { b.checked = b.defaultChecked; });
        store(key, null);
      });
    }
  }

  // A copy button on every code block.
  var copyLabel = body.getAttribute("data-copy") || "Copy";
  var copiedLabel = body.getAttribute("data-copied") || "Copied";
  Array.prototype.forEach.call(document.querySelectorAll("pre.hl-code"), function (pre) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = copyLabel;
    button.addEventListener("click", function () {
      var code = pre.querySelector("code");
      var text = (code || pre).innerText;
      var done = function () {
        button.textContent = copiedLabel;
        setTimeout(function () { button.textContent = copyLabel; }, 1500);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () {});
      } else {
        var area = document.createElement("textarea");
        area.value = text;
        body.appendChild(area);
        area.select();
        try { document.execCommand("copy"); done(); } catch (e) { /* nothing to do */ }
        body.removeChild(area);
      }
    });
    var wrap = document.createElement("div");
    wrap.className = "code-block";
    pre.parentNode.insertBefore(wrap, pre);
    wrap.appendChild(pre);
    wrap.appendChild(button);
  });

  // Search: the index of this partner's pages is loaded on first use.
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input");
  var panel = form.querySelector(".search-results");
  var status = form.querySelector(".search-status");
  var siteRoot = form.getAttribute("data-root") || "./";
  var index = null;
  var loading = null;
  form.hidden = false;

  function ensureIndex() {
    if (!loading) {
      // Not cache-busted by hash (that would change every page whenever any page
      // changes): the browser revalidates it instead.
      loading = fetch(form.getAttribute("data-index"), { cache: "no-cache" })
        .then(function (r) { return r.json(); })
        .then(function (data) { index = data.pages; });
    }
    return loading;
  }

  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 0; });
  }

  function score(text, terms, weight) {
    var lower = text.toLowerCase();
    var total = 0;
    terms.forEach(function (term) {
      var at = lower.indexOf(term);
      if (at >= 0) total += weight * (at === 0 || /[^\p{L}\p{N}]/u.test(lower.charAt(at - 1)) ? 2 : 1);
    });
    return total;
  }

  function search(query) {
    var terms = words(query);
    if (!terms.length) return [];
    var results = [];
    index.forEach(function (page) {
      var all = (page.t + " " + page.s.map(function (s) { return s[1] + " " + s[2] + " " + (s[3] || ""); }).join(" ")).toLowerCase();
      if (!terms.every(function (t) { return all.indexOf(t) >= 0; })) return;
      var best = null;
      page.s.forEach(function (s) {
        var value = score(s[1], terms, 6) + score(s[2], terms, 1) + score(s[3] || "", terms, 1);
        if (value > 0 && (!best || value > best.value)) best = { value: value, section: s };
      });
      var value = score(page.t, terms, 12) + (best ? best.value : 0);
      results.push({ page: page, value: value, section: best && best.section });
    });
    results.sort(function (a, b) { return b.value - a.value || a.page.t.localeCompare(b.page.t); });
    return results.slice(0, 10);
  }

  function snippet(text, terms, query) {
    var lower = text.toLowerCase();
    // Where the query stands as typed (`pg_wal_replay_resume`), else its first word.
    var at = lower.indexOf(query.toLowerCase());
    if (at < 0) terms.some(function (t) { at = lower.indexOf(t); return at >= 0; });
    var start = Math.max(0, at - 60);
    var piece = (start > 0 ? "…" : "") + text.substr(start, 180) + (start + 180 < text.length ? "…" : "");
    var fragment = document.createDocumentFragment();
    var pattern = new RegExp("(" + terms.map(function (t) { return t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|") + ")", "gi");
    piece.split(pattern).forEach(function (part, i) {
      if (i % 2 === 1) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(document.createTextNode(part));
      }
    });
    return fragment;
  }

  function render() {
    var query = input.value.trim();
    panel.textContent = "";
    if (!query) { close(); return; }
    var terms = words(query);
    var results = search(query);
    if (!results.length) {
      var empty = document.createElement("p");
      empty.className = "search-empty";
      empty.textContent = panel.getAttribute("data-empty");
      panel.appendChild(empty);
    }
    var list = document.createElement("ul");
    results.forEach(function (result) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      var section = result.section;
      link.href = siteRoot + result.page.u + (section && section[0] ? "#" + section[0] : "");
      var title = document.createElement("span");
      title.className = "search-title";
      title.textContent = result.page.t;
      link.appendChild(title);
      if (section && section[1]) {
        var heading = document.createElement("span");
        heading.className = "search-heading";
        heading.textContent = section[1];
        link.appendChild(heading);
      }
      var text = document.createElement("span");
      text.className = "search-snippet";
      // Words the prose does not hold all of are shown from the section's code.
      var prose = section ? section[2] : "";
      var inProse = terms.every(function (t) { return prose.toLowerCase().indexOf(t) >= 0; });
      text.appendChild(snippet(section && !inProse && section[3] ? section[3] : prose, terms, query));
      link.appendChild(text);
      item.appendChild(link);
      list.appendChild(item);
    });
    if (results.length) panel.appendChild(list);
    panel.hidden = false;
    if (status) status.textContent = results.length ? panel.getAttribute("data-count").replace("{count}", results.length) : panel.getAttribute("data-empty");
  }

  function close() {
    panel.hidden = true;
  }

  function links() { return Array.prototype.slice.call(panel.querySelectorAll("a")); }

  input.addEventListener("focus", ensureIndex);
  input.addEventListener("input", function () { ensureIndex().then(render); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = links()[0];
    if (first) location.href = first.href;
  });
  form.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (event.key === "ArrowUp" && all.length) {
      event.preventDefault();
      if (at <= 0) input.focus(); else all[at - 1].focus();
    } else if (event.key === "Escape") {
      close();
      input.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) close();
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
    if (event.key === "/" && !typing) {
      event.preventDefault();
      input.focus();
    }
  });
})();
