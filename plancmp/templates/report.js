// plancmp report: filters, search, view switch, keyboard moves, map highlighting. No libraries,
// no network. The page is complete without this script; it only hides and shows what is there.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("plancmp-data").textContent);
  var list = document.getElementById("rows");
  var rows = Array.prototype.slice.call(list.children);
  var meta = {};
  data.rows.forEach(function (r) { meta[r.key] = r; });
  var form = document.getElementById("filters");
  var controls = document.getElementById("controls");
  var shown = document.getElementById("shown");
  var noMatch = document.getElementById("no-match");
  var search = document.getElementById("q");

  // Map pieces by row key, to dim the lines of hidden rows and to highlight a hovered link.
  var mapParts = {};
  Array.prototype.forEach.call(document.querySelectorAll("#map [data-k]"), function (el) {
    var k = el.getAttribute("data-k");
    (mapParts[k] = mapParts[k] || []).push(el);
  });

  // Search: the rows' point text (both columns) and their anchors' ids ("old-6", "new-4",
  // sub-points included).
  var found = plancmpFilters.searcher(".txt", function (row) {
    return Array.prototype.map.call(row.querySelectorAll("a.anchor"), function (a) { return a.id; });
  });
  var outside = document.getElementById("outside");

  function visible(row, s) {
    if (!plancmpFilters.passes(meta[row.getAttribute("data-k")], s)) return false;
    return !s.query || found(row, s.query);
  }

  function show(row, on) {
    row.hidden = !on;
    (mapParts[row.getAttribute("data-k")] || []).forEach(function (el) {
      el.classList.toggle("dim", !on);
    });
  }

  // The count says what is on the page: a row a link opened counts too.
  function tell() {
    var count = plancmpFilters.shownCount(rows);
    shown.textContent = "Showing " + count + " of " + rows.length + " group" + (rows.length === 1 ? "" : "s");
    noMatch.hidden = count !== 0;
  }

  function apply() {
    var s = plancmpFilters.read(form);
    rows.forEach(function (row) { show(row, visible(row, s)); });
    if (outside) outside.hidden = !plancmpFilters.outsideShown(outside, s);
    tell();
  }

  // Large reports: let the typing finish before walking every row.
  plancmpFilters.listen(form, apply, rows.length > 300);

  // n / p: the next or previous changed row that is not hidden; / focuses the search box.
  function currentIndex() {
    var active = document.activeElement;
    var row = active && active.closest ? active.closest("#rows > li") : null;
    return row ? rows.indexOf(row) : -1;
  }

  function startIndex(forward) {
    // No row has focus: start from what is on screen.
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].hidden) continue;
      var box = rows[i].getBoundingClientRect();
      if (box.bottom > 0) return forward ? i - 1 : i;
    }
    return forward ? -1 : rows.length;
  }

  function move(step) {
    var i = currentIndex();
    if (i < 0) i = startIndex(step > 0);
    for (var j = i + step; j >= 0 && j < rows.length; j += step) {
      var row = rows[j];
      if (!row.hidden && row.classList.contains("changed")) {
        row.focus({ preventScroll: true });
        row.scrollIntoView({ block: "start" });
        return;
      }
    }
  }

  // Keys type into text fields and lists; on a checkbox, a button or a row they move.
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (plancmpFilters.typing(target)) {
      if (event.key === "Escape" && target === search) { search.blur(); }
      return;
    }
    if (event.key === "n") { event.preventDefault(); move(1); }
    else if (event.key === "p") { event.preventDefault(); move(-1); }
    else if (event.key === "/") { event.preventDefault(); search.focus(); search.select(); }
  });

  // A link to "#old-6" (from the map or a move note) also gives its row the focus, so that
  // n / p go on from there.
  function focusTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var anchor = id ? document.getElementById(id) : null;
    var row = anchor ? anchor.closest("li.grp") : null;
    if (row) {
      var top = row.closest("#rows > li");
      if (top && top.hidden) {
        // Opened past the filters: shown, counted, and its map lines no longer dimmed.
        show(top, true);
        tell();
      }
      row.focus({ preventScroll: true });
    }
  }
  window.addEventListener("hashchange", focusTarget);

  // Hovering a map line or number lights up everything of its row in the map.
  function highlight(event, on) {
    var el = event.target.closest ? event.target.closest("[data-k]") : null;
    if (!el) return;
    (mapParts[el.getAttribute("data-k")] || []).forEach(function (part) { part.classList.toggle("hl", on); });
  }
  var map = document.getElementById("map");
  if (map) {
    map.addEventListener("mouseover", function (e) { highlight(e, true); });
    map.addEventListener("mouseout", function (e) { highlight(e, false); });
    map.addEventListener("focusin", function (e) { highlight(e, true); });
    map.addEventListener("focusout", function (e) { highlight(e, false); });
  }

  controls.hidden = false;
  apply();
  if (location.hash) focusTarget();
  window.plancmpReady = true;
})();
