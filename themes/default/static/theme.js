// Small screens: the sidebar starts folded behind its "Browse" button.
// Without JavaScript it simply stays open.
(function () {
  var sidebar = document.querySelector("details.sidebar");
  if (!sidebar) return;
  var narrow = window.matchMedia("(max-width: 60rem)");
  function fit() { sidebar.open = !narrow.matches; }
  fit();
  narrow.addEventListener("change", fit);
})();
