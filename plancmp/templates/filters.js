// plancmp: the filters both pages share (status, only changed / moved / renumbered, party, topic,
// contested, search). A page's own script says what its rows are; this says which of them show.
var plancmpFilters = (function () {
  "use strict";

  function normalise(text) {
    return text.toLowerCase().replace(/\s+/g, " ").trim();
  }

  // What the form asks for, read once per change.
  function read(form) {
    var statuses = {};
    var flags = [];
    Array.prototype.forEach.call(form.querySelectorAll("input[name=status]"), function (box) {
      statuses[box.value] = box.checked;
    });
    Array.prototype.forEach.call(form.querySelectorAll("input[name=flag]"), function (box) {
      if (box.checked) flags.push(box.value);
    });
    return {
      statuses: statuses,
      flags: flags,
      party: form.party ? form.party.value : "",
      topic: form.topic ? form.topic.value : "",
      contested: form.contested.checked,
      query: normalise(form.q.value)
    };
  }

  // Whether a row passes every filter but the search: info is what the page's data says of it
  // ({status, changed, moved, renumbered, contested, parties, topics}). The "only" boxes are
  // alternatives, as `--only moved,renumbered` is: a row that is any of them passes.
  function passes(info, s) {
    if (!s.statuses[info.status]) return false;
    if (s.flags.length) {
      var any = false;
      for (var i = 0; i < s.flags.length; i++) { if (info[s.flags[i]]) any = true; }
      if (!any) return false;
    }
    if (s.contested && !info.contested) return false;
    if (s.party && info.parties.indexOf(s.party) < 0) return false;
    if (s.topic && info.topics.indexOf(s.topic) < 0) return false;
    return true;
  }

  // A search over elements: their text (what textSelector picks inside them) and their point ids
  // (ids(element) lists them: "old-6", "new-4", or plain "6"). Built on first use.
  function searcher(textSelector, ids) {
    var texts = new Map();
    var idLists = new Map();
    return function (element, query) {
      if (!texts.has(element)) {
        var parts = [];
        Array.prototype.forEach.call(element.querySelectorAll(textSelector), function (t) { parts.push(t.textContent); });
        texts.set(element, normalise(parts.join(" ")));
        idLists.set(element, ids(element));
      }
      var q = query.replace(/\.$/, "");
      var list = idLists.get(element);
      for (var i = 0; i < list.length; i++) {
        var id = list[i];
        // "6", "old 6" and "old-6" all find old-6; "12.a" finds the row holding 12.a.
        if (id === q || id.replace(/^(old|new)-/, "") === q || id.replace("-", " ") === q) return true;
      }
      return texts.get(element).indexOf(query) >= 0;
    };
  }

  // The text outside the points (title, preamble, closing) is one block of its own: it shows
  // while modified groups do, under no filter it cannot match, and while the search finds words in it.
  function outsideShown(block, s) {
    if (!block) return false;
    if (!s.statuses.modified || s.contested || s.party || s.topic) return false;
    if (s.flags.length && s.flags.indexOf("changed") < 0) return false;
    if (!s.query) return true;
    var words = Array.prototype.map.call(block.querySelectorAll(".text, .changes"), function (e) { return e.textContent; });
    return normalise(words.join(" ")).indexOf(s.query) >= 0;
  }

  // Whether keys pressed on el type into it (text fields, lists) rather than move about the page.
  function typing(el) {
    if (!el || !el.tagName) return false;
    if (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
    return el.tagName === "INPUT" && ["checkbox", "radio", "button", "reset", "submit"].indexOf(el.type) < 0;
  }

  // The form's events: the search filters as one types (after a pause on long pages: slow), the
  // boxes and lists on "change", the view switch swaps the views, "Show all" resets everything.
  function listen(form, apply, slow) {
    var timer = null;
    function setView() {
      var inline = form.querySelector("input[name=view]:checked").value === "inline";
      document.body.classList.toggle("view-inline", inline);
    }
    form.addEventListener("input", function (event) {
      if (event.target !== form.q) return;
      clearTimeout(timer);
      timer = setTimeout(apply, slow ? 150 : 0);
    });
    form.addEventListener("change", function (event) {
      if (event.target === form.q) return;
      if (event.target.name === "view") setView(); else apply();
    });
    form.addEventListener("reset", function () { setTimeout(function () { setView(); apply(); }, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    setView();
  }

  // How many of these elements are on the page: counted from what is shown, so that a row a link
  // opened past the filters counts too.
  function shownCount(items) {
    return items.filter(function (item) { return !item.hidden; }).length;
  }

  return {
    normalise: normalise, read: read, passes: passes, searcher: searcher, outsideShown: outsideShown,
    typing: typing, listen: listen, shownCount: shownCount
  };
})();
