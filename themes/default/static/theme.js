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

  var header = document.querySelector(".site-header");
  var narrow = window.matchMedia("(max-width: 60rem)");
  var announcer = document.getElementById("announcer");
  function announce(text) {
    if (!announcer) return;
    announcer.textContent = "";
    setTimeout(function () { announcer.textContent = text; }, 50);
  }
  // Drawers and the results panel open below the header, whatever its height.
  function measureHeader() {
    if (header) root.style.setProperty("--header-height", header.offsetHeight + "px");
  }
  measureHeader();
  window.addEventListener("resize", measureHeader);

  // Navigation: a sidebar on wide screens; on narrow ones a drawer opened from the
  // header's menu button (without JavaScript, a folding list above the page).
  var sidebar = document.querySelector("details.sidebar");
  var menuButton = document.querySelector(".menu-button");
  if (sidebar) {
    var current = sidebar.querySelector("[aria-current=page]");
    // The current page in view within the sidebar, without scrolling the page.
    var reveal = function () {
      if (current && sidebar.open) sidebar.scrollTop = Math.max(0, current.offsetTop - sidebar.clientHeight / 2);
    };
    var setDrawer = function (open, focus) {
      sidebar.open = open;
      if (menuButton) menuButton.setAttribute("aria-expanded", String(open && narrow.matches));
      if (open) {
        measureHeader();
        reveal();
        if (focus) (current || sidebar.querySelector("a") || sidebar).focus({ preventScroll: true });
      }
    };
    var fit = function () { setDrawer(!narrow.matches, false); };
    fit();
    narrow.addEventListener("change", fit);
    if (menuButton) {
      menuButton.hidden = false;
      menuButton.addEventListener("click", function () { setDrawer(!sidebar.open, true); });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && narrow.matches && sidebar.open) {
          setDrawer(false);
          menuButton.focus();
        }
      });
      document.addEventListener("click", function (event) {
        var inside = sidebar.contains(event.target) && !(event.target.closest && event.target.closest("a"));
        if (narrow.matches && sidebar.open && !inside && !menuButton.contains(event.target)) setDrawer(false);
      });
    }
  }

  // "On this page": beside the page on wide screens, a folded box above it otherwise;
  // the section being read is marked as the reader scrolls.
  var toc = document.querySelector(".toc-details");
  if (toc) {
    var midWidth = window.matchMedia("(max-width: 75rem)");
    var fitToc = function () { toc.open = !midWidth.matches; };
    fitToc();
    midWidth.addEventListener("change", fitToc);
    toc.addEventListener("click", function (event) {
      if (midWidth.matches && event.target.closest && event.target.closest("a")) toc.open = false;
    });
    var tocLinks = Array.prototype.slice.call(toc.querySelectorAll("a[href^='#']"));
    var targets = tocLinks.map(function (a) { return document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1))); });
    var marked = null;
    var mark = function () {
      var line = (header ? header.offsetHeight : 0) + 32;
      var at = -1;
      targets.forEach(function (target, i) { if (target && target.getBoundingClientRect().top <= line) at = i; });
      // At the bottom of the page, the headings below the line can no longer reach it:
      // the one just followed, else the last one shown.
      var bottom = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
      if (bottom) {
        var followed = location.hash ? targets.indexOf(document.getElementById(decodeURIComponent(location.hash.slice(1)))) : -1;
        if (followed >= 0) at = followed;
        else targets.forEach(function (target, i) { if (target && target.getBoundingClientRect().top < window.innerHeight) at = i; });
      }
      var link = tocLinks[at] || null;
      if (link === marked) return;
      if (marked) marked.removeAttribute("aria-current");
      if (link) link.setAttribute("aria-current", "location");
      marked = link;
    };
    var pending = false;
    window.addEventListener("scroll", function () {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () { pending = false; mark(); });
    }, { passive: true });
    window.addEventListener("hashchange", mark);
    mark();
  }

  // Dark mode: follows the system until the reader picks the other scheme; picking
  // back the system's own scheme follows the system again (and its later changes).
  var toggle = document.querySelector(".theme-toggle");
  if (toggle) {
    var systemDark = window.matchMedia("(prefers-color-scheme: dark)");
    var isDark = function () {
      var forced = root.getAttribute("data-theme");
      return forced ? forced === "dark" : systemDark.matches;
    };
    var show = function () {
      var forced = root.getAttribute("data-theme");
      toggle.setAttribute("aria-pressed", String(isDark()));
      toggle.title = (toggle.getAttribute("data-label") || "{scheme}")
        .replace("{scheme}", toggle.getAttribute("data-" + (forced || "system")) || "");
    };
    toggle.hidden = false;
    show();
    toggle.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      if ((next === "dark") === systemDark.matches) {
        root.removeAttribute("data-theme");
        store("kb-theme", null);
      } else {
        root.setAttribute("data-theme", next);
        store("kb-theme", next);
      }
      show();
    });
    systemDark.addEventListener("change", show);
  }

  // The announcement stays closed once dismissed, until its text changes.
  var banner = document.querySelector(".announcement");
  var bannerClose = banner && banner.querySelector(".announcement-close");
  if (bannerClose) {
    bannerClose.hidden = false;
    bannerClose.addEventListener("click", function () {
      store("kb-announcement", banner.getAttribute("data-id"));
      root.classList.add("announcement-dismissed");
      measureHeader();
      var brand = document.querySelector(".site-header .brand");
      if (brand) brand.focus({ preventScroll: true });
    });
  }

  // The home hero's search field opens the header's search.
  var heroSearch = document.querySelector(".hero-search-button");
  if (heroSearch) {
    heroSearch.hidden = false;
    heroSearch.addEventListener("click", function () {
      var opener = document.querySelector(".search-open");
      if (opener && narrow.matches) opener.click();
      var input = document.getElementById("search-input");
      if (input) input.focus();
    });
  }

  // Was this page helpful? One answer per page, sent to the partner's address as
  // plain text (a simple request: no preflight), nothing else about the reader.
  var feedback = document.querySelector(".feedback");
  if (feedback && window.fetch) {
    feedback.hidden = false;
    feedback.addEventListener("submit", function (event) {
      event.preventDefault();
      var answer = event.submitter ? event.submitter.value : "yes";
      var body = JSON.stringify({ page: location.pathname, helpful: answer === "yes" });
      fetch(feedback.getAttribute("action"), {
        method: "POST", mode: "no-cors", keepalive: true, credentials: "omit",
        headers: { "Content-Type": "text/plain" }, body: body
      }).catch(function () { /* the answer is lost; reading goes on */ });
      Array.prototype.forEach.call(feedback.querySelectorAll("button"), function (b) { b.disabled = true; });
      feedback.querySelector(".feedback-status").textContent = feedback.getAttribute("data-thanks");
    });
  }

  // Sidebar groups: the open section's pages fold away under a toggle.
  Array.prototype.forEach.call(document.querySelectorAll(".sidebar .nav-section"), function (item) {
    var list = item.querySelector(":scope > .nav-list");
    var link = item.querySelector(":scope > a");
    if (!list || !link) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "nav-toggle";
    button.setAttribute("aria-expanded", "true");
    button.setAttribute("aria-label", (body.getAttribute("data-nav-group") || "{section}").replace("{section}", link.textContent));
    item.insertBefore(button, list);
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      item.classList.toggle("is-collapsed", !open);
    });
  });

  // A long section listing gets a filter over its titles and descriptions.
  var filter = document.querySelector(".listing-filter");
  if (filter) {
    var cards = Array.prototype.slice.call(document.querySelectorAll(".cards .card"));
    var empty = document.createElement("p");
    empty.className = "filter-empty";
    empty.setAttribute("role", "status");
    filter.insertAdjacentElement("afterend", empty);
    var fold = function (text) { return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); };
    var texts = cards.map(function (card) { return fold(card.textContent); });
    filter.hidden = false;
    filter.addEventListener("input", function () {
      var words = fold(filter.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      cards.forEach(function (card, i) {
        var match = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        card.hidden = !match;
        if (match) shown++;
      });
      empty.textContent = shown ? "" : filter.getAttribute("data-empty");
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
    // Progress and the reset button sit after the last checklist.
    var bar = document.querySelector(".checklist-bar");
    var progress = function () {
      if (!bar) return;
      var done = boxes.filter(function (b) { return b.checked; }).length;
      bar.querySelector(".checklist-progress").textContent = bar.getAttribute("data-progress")
        .replace("{done}", done).replace("{total}", boxes.length);
    };
    boxes.forEach(function (box) { box.addEventListener("change", progress); });
    if (bar) {
      var last = boxes[boxes.length - 1].closest(".prose > *");
      if (last) last.parentNode.insertBefore(bar, last.nextSibling);
      bar.hidden = false;
      progress();
      bar.querySelector(".checklist-reset").addEventListener("click", function () {
        boxes.forEach(function (b) { b.checked = b.defaultChecked; });
        store(key, null);
        progress();
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
        announce(copiedLabel);
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
    var bar = document.createElement("div");
    bar.className = "code-bar";
    var lang = document.createElement("span");
    lang.className = "code-lang";
    lang.textContent = pre.getAttribute("data-lang") || "";
    bar.appendChild(lang);
    bar.appendChild(button);
    var wrap = document.createElement("div");
    wrap.className = "code-block";
    pre.parentNode.insertBefore(wrap, pre);
    wrap.appendChild(bar);
    wrap.appendChild(pre);
  });

  // Search: a combobox over the partner's index, which search.js reads in pieces.
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input");
  var panel = form.querySelector(".search-results");
  var listbox = form.querySelector("[role=listbox]");
  var status = form.querySelector(".search-status");
  var siteRoot = form.getAttribute("data-root") || "./";
  var engine = null;
  var starting = null;
  var shown = null; // { query, result, next }
  var active = -1;
  var generation = 0;
  var PAGE = 8;
  form.hidden = false;

  // Narrow screens: a search button in the header opens the search field over it.
  var searchOpen = document.querySelector(".search-open");
  var searchClose = form.querySelector(".search-close");
  function openSearchBar(open) {
    if (!header || !searchOpen) return;
    header.classList.toggle("is-searching", open);
    searchOpen.setAttribute("aria-expanded", String(open));
    if (open) input.focus();
    else { close(); searchOpen.focus(); }
  }
  if (searchOpen) {
    searchOpen.hidden = false;
    searchOpen.addEventListener("click", function () { openSearchBar(true); });
  }
  if (searchClose) searchClose.addEventListener("click", function () { openSearchBar(false); });
  narrow.addEventListener("change", function () {
    if (!narrow.matches && header) header.classList.remove("is-searching");
  });

  function start() {
    if (!starting) {
      starting = new Promise(function (done, fail) {
        var script = document.createElement("script");
        script.src = form.getAttribute("data-engine");
        script.onload = function () {
          engine = new window.KbSearch.Engine(form.getAttribute("data-index"));
          engine.ready().then(done, fail);
        };
        script.onerror = fail;
        document.head.appendChild(script);
      });
    }
    return starting;
  }

  function options() { return Array.prototype.slice.call(listbox.querySelectorAll("[role=option]")); }

  function activate(index) {
    var all = options();
    all.forEach(function (option, i) { option.setAttribute("aria-selected", String(i === index)); });
    active = index;
    if (index >= 0 && all[index]) {
      input.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function open() {
    panel.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function close() {
    panel.hidden = true;
    input.setAttribute("aria-expanded", "false");
    activate(-1);
  }

  // Which query word a word of the text (as written) answers, from 1, or 0: its term
  // is one the query matched, or the word being typed begins it.
  function marker(result) {
    var lang = engine.manifest.lang;
    var parts = result.parsed.words;
    return function (word) {
      var folded = window.KbSearch.fold(word);
      var t = window.KbSearch.term(folded, lang);
      if (t !== null && t in result.terms) return result.terms[t] + 1;
      for (var i = 0; i < parts.length; i++) {
        if (parts[i].prefix && folded.indexOf(parts[i].word) === 0) return i + 1;
      }
      return 0;
    };
  }

  function hits(text, marks, seen) {
    var count = 0;
    (text.match(/[\p{Alphabetic}\p{N}]+/gu) || []).forEach(function (w) {
      var which = marks(w);
      if (which) { count++; if (seen) seen[which] = true; }
    });
    return count;
  }

  // The sections of an entry, best match first: the one holding the most query words,
  // a quoted phrase, or the query as typed (`replica_lag_seconds`); then headings.
  function bestSections(entry, marks, result) {
    var lang = engine.manifest.lang;
    var typed = window.KbSearch.fold(input.value.trim().replace(/"/g, ""));
    return entry.s.map(function (s, i) {
      var seen = {};
      var heading = hits(s[1], marks, seen);
      var text = hits(s[2], marks, seen);
      var code = hits(s[3], marks, seen);
      var score = Object.keys(seen).length * 10 + heading * 4 + Math.min(text, 6) + Math.min(code, 2) * 0.5;
      if (typed.length >= 4 && window.KbSearch.fold(s[1] + "\n" + s[2] + "\n" + s[3]).indexOf(typed) >= 0) score += 20;
      if (result.parsed.phrases.length && window.KbSearch.holdsPhrases({ t: "", s: [s] }, result.parsed.phrases, lang)) score += 20;
      return { section: s, index: i, heading: heading, score: score };
    }).sort(function (a, b) { return b.score - a.score || a.index - b.index; });
  }

  // A piece of one block (never two run together) around its first match, the
  // matching words marked.
  function snippet(section, marks) {
    var blocks = (section ? section[2] : "").split("\n").filter(Boolean);
    if (section && section[3]) blocks.push(section[3]);
    // The block holding the query as typed, else the most query words, else the most hits.
    var typed = window.KbSearch.fold(input.value.trim().replace(/"/g, ""));
    var best = null;
    blocks.forEach(function (block) {
      var seen = {};
      var n = hits(block, marks, seen);
      var worth = Object.keys(seen).length * 100 + n;
      if (typed.length >= 4 && window.KbSearch.fold(block).indexOf(typed) >= 0) worth += 10000;
      if (n > 0 && (!best || worth > best.worth)) best = { text: block, worth: worth };
    });
    if (!best) best = { text: blocks[0] || "" };
    var text = best.text;
    var first = -1;
    var re = /[\p{Alphabetic}\p{N}]+/gu, m;
    // Around the query as typed where it stands, else around the first match.
    var literal = typed.length >= 4 ? window.KbSearch.fold(text).indexOf(typed) : -1;
    if (literal >= 0 && window.KbSearch.fold(text).length === text.length) first = literal;
    while (first < 0 && (m = re.exec(text))) { if (marks(m[0])) first = m.index; }
    var from = 0;
    if (first > 70) {
      from = text.lastIndexOf(" ", first - 50);
      from = from < 0 ? 0 : from + 1;
    }
    var to = Math.min(text.length, from + 190);
    if (to < text.length) {
      var space = text.lastIndexOf(" ", to);
      if (space > from + 100) to = space;
    }
    var piece = text.slice(from, to);
    var out = document.createDocumentFragment();
    if (from > 0) out.appendChild(document.createTextNode("… "));
    var at = 0;
    re = /[\p{Alphabetic}\p{N}]+/gu;
    while ((m = re.exec(piece))) {
      if (!marks(m[0])) continue;
      out.appendChild(document.createTextNode(piece.slice(at, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      out.appendChild(mark);
      at = m.index + m[0].length;
    }
    out.appendChild(document.createTextNode(piece.slice(at) + (to < text.length ? " …" : "")));
    return out;
  }

  function option(href, parts, sub) {
    var item = document.createElement("li");
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", "false");
    item.id = "search-option-" + listbox.children.length;
    if (sub) item.className = "search-sub";
    var link = document.createElement("a");
    link.href = href;
    link.tabIndex = -1;
    parts.forEach(function (part) {
      if (!part[1]) return;
      var span = document.createElement("span");
      span.className = part[0];
      if (typeof part[1] === "string") span.textContent = part[1]; else span.appendChild(part[1]);
      link.appendChild(span);
    });
    item.appendChild(link);
    listbox.appendChild(item);
  }

  // One page's options: the page, deep-linked to its best matching section, then
  // up to two more sections whose headings match.
  function addResult(item, marks) {
    var entry = item.entry;
    var url = siteRoot + entry.u;
    var ranked = bestSections(entry, marks, item.result);
    var best = ranked[0];
    var deep = best && best.score > 0 && best.section[0] ? best.section : null;
    option(deep ? url + "#" + deep[0] : url, [
      ["search-title", entry.t],
      deep ? ["search-heading", deep[1]] : ["search-parent", entry.p],
      ["search-snippet", snippet(best && best.score > 0 ? best.section : entry.m && hits(entry.m, marks) ? ["", "", entry.m, ""] : entry.s[0], marks)],
    ]);
    ranked.slice(1).filter(function (r) { return r.heading > 0 && r.section[0]; }).slice(0, 2).forEach(function (r) {
      option(url + "#" + r.section[0], [["search-heading", r.section[1]], ["search-snippet", snippet(r.section, marks)]], true);
    });
  }

  function showMore(count) {
    var mine = generation;
    var state = shown;
    return engine.entries(state.result, state.next, count).then(function (got) {
      if (mine !== generation) return;
      var marks = marker(state.result);
      got.entries.forEach(function (item) { item.result = state.result; addResult(item, marks); });
      state.next = got.next;
      footer();
    });
  }

  // The "show all" button while there are results not drawn yet.
  function footer() {
    var old = panel.querySelector(".search-all");
    if (old) old.parentNode.removeChild(old);
    var total = shown.result.pages.length;
    var empty = panel.querySelector(".search-empty");
    if (empty) empty.parentNode.removeChild(empty);
    if (!total) {
      var p = document.createElement("p");
      p.className = "search-empty";
      p.textContent = panel.getAttribute("data-empty");
      panel.appendChild(p);
    }
    listbox.hidden = !total;
    // What the panel shows results for (the query may have moved on since).
    panel.setAttribute("data-query", shown.query);
    if (status) status.textContent = total ? panel.getAttribute("data-count").replace("{count}", total) : panel.getAttribute("data-empty");
    if (shown.next < total) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "search-all";
      button.textContent = panel.getAttribute("data-show-all").replace("{count}", total);
      button.addEventListener("click", function () {
        showMore(total).then(function () { input.focus(); });
      });
      panel.appendChild(button);
    }
  }

  function render() {
    var query = input.value.trim();
    var mine = ++generation;
    if (!query) { close(); return; }
    engine.search(query).then(function (result) {
      if (mine !== generation) return;
      listbox.textContent = "";
      activate(-1);
      shown = { query: query, result: result, next: 0 };
      open();
      return showMore(PAGE);
    }).catch(function () { /* no index: the page still reads */ });
  }

  var timer = null;
  input.addEventListener("focus", function () { start().catch(function () {}); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { start().then(render, function () {}); }, 80);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var all = options();
    var chosen = all[active >= 0 ? active : 0];
    if (chosen) location.href = chosen.querySelector("a").href;
  });
  input.addEventListener("keydown", function (event) {
    var all = options();
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) return;
      event.preventDefault();
      if (panel.hidden) open();
      var step = event.key === "ArrowDown" ? 1 : -1;
      activate(active < 0 ? (step > 0 ? 0 : all.length - 1) : (active + step + all.length) % all.length);
    } else if (event.key === "Escape") {
      if (!panel.hidden) { event.preventDefault(); close(); }
      else if (input.value) { event.preventDefault(); input.value = ""; }
      else if (header && header.classList.contains("is-searching")) { event.preventDefault(); openSearchBar(false); }
    }
  });
  listbox.addEventListener("mousemove", function (event) {
    var item = event.target.closest && event.target.closest("[role=option]");
    if (item) activate(options().indexOf(item));
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) close();
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable);
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      if (narrow.matches && searchOpen) openSearchBar(true); else input.focus();
    }
  });
})();
