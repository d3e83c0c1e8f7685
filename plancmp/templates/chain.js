// plancmp chain report: filters, the version picker and the lineage timelines. No libraries, no network.
// The page is complete without this script (every pair and every timeline shows); it only hides
// what was not asked for.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("plancmp-data").textContent);
  document.body.classList.add("js");

  // -- filters: the same form as the two-draft report, over the lineages and the pair shown -------
  var form = document.getElementById("filters");
  var search = document.getElementById("q");
  var shown = document.getElementById("shown");
  var bodies = Array.prototype.slice.call(document.querySelectorAll("#lineages > tbody.lineage"));
  var noLineage = document.getElementById("no-lineage");
  var lineageInfo = {};
  data.lineages.forEach(function (l) { lineageInfo[l.key] = l; });
  var rowInfo = {};
  data.pairs.forEach(function (p) { p.rows.forEach(function (r) { rowInfo[r.key] = r; }); });
  // A lineage is found by the words of its timeline and by any number it carries in any draft.
  var lineageFound = plancmpFilters.searcher(".tl .txt", function (body) {
    return body.getAttribute("data-path").replace(/ \((new|restored)\)$/, "").split(/ → |\+/);
  });
  var rowFound = plancmpFilters.searcher(".txt", function (row) {
    return Array.prototype.map.call(row.querySelectorAll("a.anchor"), function (a) {
      return a.id.replace(/^p\d+-\d+-/, "");
    });
  });

  function apply() {
    var s = plancmpFilters.read(form);
    bodies.forEach(function (body) {
      body.hidden = !(plancmpFilters.passes(lineageInfo[body.id.slice(4)], s) && (!s.query || lineageFound(body, s.query)));
    });
    if (current) {
      Array.prototype.forEach.call(sections[current].querySelectorAll("ol.rows > li"), function (row) {
        row.hidden = !(plancmpFilters.passes(rowInfo[row.getAttribute("data-k")], s) && (!s.query || rowFound(row, s.query)));
      });
    }
    tell();
  }

  // The counts say what is on the page: a lineage or a row a link opened counts too.
  function tell() {
    var count = plancmpFilters.shownCount(bodies);
    noLineage.hidden = count !== 0;
    var message = "Showing " + count + " of " + bodies.length + " point" + (bodies.length === 1 ? "" : "s") +
      " through the drafts";
    if (current) {
      var section = sections[current];
      var rows = Array.prototype.slice.call(section.querySelectorAll("ol.rows > li"));
      var n = plancmpFilters.shownCount(rows);
      section.querySelector(".no-match").hidden = n !== 0;
      message += "; " + n + " of " + rows.length + " group" + (rows.length === 1 ? "" : "s") + " of " +
        section.querySelector(".pair-title").textContent;
    }
    shown.textContent = message;
  }

  plancmpFilters.listen(form, apply, bodies.length > 300);
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (plancmpFilters.typing(event.target)) {
      if (event.key === "Escape" && event.target === search) search.blur();
      return;
    }
    if (event.key === "/") { event.preventDefault(); search.focus(); search.select(); }
  });

  // -- version picker: any two drafts, old before new; only the pairs the page holds can be chosen --
  var picker = document.getElementById("picker");
  var pickOld = document.getElementById("pick-old");
  var pickNew = document.getElementById("pick-new");
  var pairShown = document.getElementById("pair-shown");
  var sections = {};
  Array.prototype.forEach.call(document.querySelectorAll("section.pair"), function (s) {
    sections[s.getAttribute("data-pair")] = s;
  });
  var offered = {};
  data.pairs.forEach(function (p) { offered[p.key] = p; });

  function firstNew(old) {
    // The new draft chosen is kept when it can be; else the first that follows the old one.
    for (var i = 0; i < pickNew.options.length; i++) {
      if (offered[old + "-" + pickNew.options[i].value]) return pickNew.options[i].value;
    }
    return null;
  }

  var current = null;

  function showPair(key) {
    Object.keys(sections).forEach(function (k) { sections[k].hidden = k !== key; });
    var pair = offered[key];
    current = key;
    var first = pair.old === 0 && pair["new"] === data.drafts - 1 && pair.old + 1 !== pair["new"];
    pairShown.textContent = "Showing " + sections[key].querySelector(".pair-title").textContent +
      (first ? " (first and last, compared directly)" : "");
    apply();
  }

  function sync() {
    var old = pickOld.value;
    Array.prototype.forEach.call(pickNew.options, function (o) {
      o.disabled = !offered[old + "-" + o.value];
    });
    if (!offered[old + "-" + pickNew.value]) pickNew.value = firstNew(old);
    showPair(old + "-" + pickNew.value);
  }

  function choose(key) {
    var pair = offered[key];
    if (!pair) return;
    pickOld.value = String(pair.old);
    sync();
    pickNew.value = String(pair["new"]);
    sync();
  }

  picker.addEventListener("change", sync);
  picker.addEventListener("submit", function (event) { event.preventDefault(); });

  // -- timelines: a row opens and closes the timeline below it -----------------------------------
  var table = document.getElementById("lineages");

  function setOpen(body, open) {
    var row = body.querySelector("tr.tl-row");
    var button = body.querySelector("button.tl-toggle");
    row.classList.toggle("open", open);
    body.classList.toggle("open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  table.addEventListener("click", function (event) {
    var row = event.target.closest("tr.lin");
    if (!row) return;
    // The button always toggles; elsewhere on the row, links and a selection of text being made
    // keep their own behaviour.
    var onButton = event.target.closest("button.tl-toggle");
    if (!onButton && (event.target.closest("a, details") || String(window.getSelection()).length)) return;
    var body = row.parentNode;
    setOpen(body, !body.classList.contains("open"));
  });

  // A link to "#lin-5" or "#tl-5" opens that timeline; one to "#pair-0-3", or to a point of a
  // pair ("#p0-3-old-6"), shows that pair.
  function follow() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (!target) return;
    var body = target.closest("tbody.lineage");
    if (body) {
      // Opened past the filters, as in the two-draft report: shown, and counted.
      body.hidden = false;
      setOpen(body, true);
      tell();
      target.scrollIntoView({ block: "start" });
      return;
    }
    var pair = target.closest("section.pair");
    if (pair) {
      if (pair.getAttribute("data-pair") !== current) choose(pair.getAttribute("data-pair"));
      var row = target.closest("ol.rows > li");
      if (row) row.hidden = false;
      tell();
      target.scrollIntoView({ block: "start" });
    }
  }
  window.addEventListener("hashchange", follow);

  picker.hidden = false;
  document.getElementById("controls").hidden = false;
  choose(data["default"]);
  if (location.hash) follow();
  window.plancmpReady = true;
})();
