// Injected by `livery serve` only: live reload, the build-error overlay, and a
// switch to view the same page in another partner's brand.
(function () {
  "use strict";
  var overlay = null;
  var script = document.currentScript;
  var loadedAt = Number((script && new URL(script.src).searchParams.get("g")) || 0);

  function showError(message) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "livery-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,24,.92);color:#fff;" +
        "font:14px/1.5 ui-monospace,monospace;padding:2rem;overflow:auto";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var title = document.createElement("h2");
    title.textContent = "The project does not build";
    title.style.cssText = "font:700 20px system-ui,sans-serif;margin:0 0 1rem;color:#ff8a8a";
    var pre = document.createElement("pre");
    pre.textContent = message;
    pre.style.cssText = "white-space:pre-wrap;margin:0";
    var hint = document.createElement("p");
    hint.textContent = "The last good version stays served. Fix the file and save: this page updates by itself.";
    hint.style.cssText = "font-family:system-ui,sans-serif;color:#c8c8d0";
    overlay.appendChild(title);
    overlay.appendChild(pre);
    overlay.appendChild(hint);
  }

  function here() {
    var path = location.pathname;
    return path.endsWith("/") ? path + "index.html" : path;
  }

  var events = new EventSource("/__livery/events");
  // Give the connection back when leaving: a page kept in the back/forward cache
  // would otherwise hold one of the browser's few connections to the server.
  window.addEventListener("pagehide", function () { events.close(); });
  var hadError = false;
  events.addEventListener("failed", function (event) {
    hadError = true;
    showError(event.data);
  });
  events.addEventListener("ok", function (event) {
    // A build finished while this page was loading: show its result.
    if (Number(event.data) > loadedAt) { location.reload(); return; }
    if (overlay) { overlay.remove(); overlay = null; }
  });
  events.addEventListener("change", function (event) {
    var changed = JSON.parse(event.data || "[]");
    var page = here();
    var mine = changed.indexOf(page) >= 0;
    var cssOnly = changed.length > 0 && changed.every(function (p) { return /\.css$/.test(p); });
    if (cssOnly) {
      Array.prototype.forEach.call(document.querySelectorAll("link[rel=stylesheet]"), function (link) {
        var url = new URL(link.href);
        url.searchParams.set("livery-reload", String(Date.now()));
        link.href = url.toString();
      });
    } else if (mine || hadError) {
      location.reload();
    }
    if (overlay) { overlay.remove(); overlay = null; }
    hadError = false;
  });

  // Same page, another partner's brand.
  var parts = location.pathname.split("/");
  if (parts.length > 2 && parts[1]) {
    fetch("/__livery/partners.json").then(function (r) { return r.json(); }).then(function (partners) {
      var select = document.createElement("select");
      select.setAttribute("aria-label", "Preview as partner");
      select.style.cssText = "position:fixed;right:12px;bottom:12px;z-index:2147483646;font:13px system-ui,sans-serif;" +
        "padding:4px 6px;border-radius:6px;border:1px solid #888;background:#fff;color:#111;opacity:.85";
      partners.forEach(function (p) {
        var option = document.createElement("option");
        option.value = p.id;
        option.textContent = p.name;
        option.selected = p.id === parts[1];
        select.appendChild(option);
      });
      select.addEventListener("change", function () {
        parts[1] = select.value;
        location.href = parts.join("/") + location.hash;
      });
      document.body.appendChild(select);
    });
  }
})();
