// plancmp batch index: sort the table by a column. Numbers sort as numbers, empty cells last.
(function () {
  "use strict";
  var table = document.getElementById("pairs");
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  function key(row, col, numeric) {
    var text = row.cells[col].textContent;
    if (!numeric) { return text; }
    return text === "" ? null : parseFloat(text);
  }
  function sortBy(col, numeric, th) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    var keyed = rows.map(function (row, i) { return [key(row, col, numeric), i, row]; });
    keyed.sort(function (a, b) {
      if (a[0] === b[0]) { return a[1] - b[1]; }
      if (a[0] === null) { return 1; }
      if (b[0] === null) { return -1; }
      var order = numeric ? a[0] - b[0] : a[0].localeCompare(b[0], undefined, { numeric: true });
      return ascending ? order : -order;
    });
    for (var h = 0; h < heads.length; h++) {
      if (heads[h].hasAttribute("aria-sort")) { heads[h].setAttribute("aria-sort", "none"); }
    }
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var fragment = document.createDocumentFragment();
    keyed.forEach(function (k) { fragment.appendChild(k[2]); });
    body.appendChild(fragment);
  }
  Array.prototype.forEach.call(table.tHead.querySelectorAll("button"), function (button) {
    button.addEventListener("click", function () {
      sortBy(parseInt(button.getAttribute("data-col"), 10), button.hasAttribute("data-num"), button.parentNode);
    });
  });
}());
