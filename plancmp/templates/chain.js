// plancmp chain report: the version picker and the lineage timelines. No libraries, no network.
// The page is complete without this script (every pair and every timeline shows); it only hides
// what was not asked for.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("plancmp-data").textContent);
  document.body.classList.add("js");

  // -- version picker: old draft, new draft; only the pairs the page holds can be chosen --------
  var picker = document.getElementById("picker");
  var pickOld = document.getElementById("pick-old");
  var pickNew = document.getElementById("pick-new");
  var shown = document.getElementById("pair-shown");
  var sections = {};
  Array.prototype.forEach.call(document.querySelectorAll("section.pair"), function (s) {
    sections[s.getAttribute("data-pair")] = s;
  });
  var offered = {};
  data.pairs.forEach(function (p) { offered[p.key] = p; });

  function firstNew(old) {
    // The old draft decides: its next draft, or (from the first) the last one when that is chosen.
    for (var i = 0; i < pickNew.options.length; i++) {
      if (offered[old + "-" + pickNew.options[i].value]) return pickNew.options[i].value;
    }
    return null;
  }

  function showPair(key) {
    Object.keys(sections).forEach(function (k) { sections[k].hidden = k !== key; });
    var pair = offered[key];
    shown.textContent = "Showing " + sections[key].querySelector(".pair-title").textContent +
      (pair.old + 1 === pair["new"] ? "" : " (first and last, compared directly)");
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
      setOpen(body, true);
      target.scrollIntoView({ block: "start" });
      return;
    }
    var pair = target.closest("section.pair");
    if (pair) {
      choose(pair.getAttribute("data-pair"));
      target.scrollIntoView({ block: "start" });
    }
  }
  window.addEventListener("hashchange", follow);

  picker.hidden = false;
  choose(data["default"]);
  if (location.hash) follow();
  window.plancmpReady = true;
})();
