/* Filters and sorting for the commitments table. Without this script the full table shows. */
(function () {
  "use strict";
  var table = document.getElementById("commitments-table");
  var form = document.getElementById("filters");
  var status = document.getElementById("filter-status");
  if (!table || !form || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var total = rows.length;
  // The quote and its heading, lower-cased, read once from the rendered cells (never from
  // script data). The page address is left out: a search for a word should not match a URL.
  function searchable(row) {
    var text = row.querySelector(".q-text");
    var heading = row.querySelector(".under");
    return ((text ? text.textContent : "") + " " + (heading ? heading.textContent : "")).toLowerCase();
  }
  var haystack = rows.map(searchable);
  rows.forEach(function (row, i) { row.setAttribute("data-index", String(i)); });

  function plural(n) { return n === 1 ? " commitment" : " commitments"; }

  function apply() {
    var cand = form.elements.candidate.value;
    var area = form.elements.area.value;
    var conc = form.elements.concreteness.value;
    var words = form.elements.q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row, i) {
      var ok = (!cand || row.getAttribute("data-candidate") === cand) &&
        (!area || (area === "innovation" ? row.getAttribute("data-innovation") === "1"
                                         : row.getAttribute("data-area") === area)) &&
        (!conc || row.getAttribute("data-concreteness") === conc) &&
        words.every(function (w) { return haystack[i].indexOf(w) !== -1; });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    status.textContent = shown === total
      ? total + plural(total) + "."
      : "Showing " + shown + " of " + total + plural(total) + ".";
  }

  function cellValue(row, col, numeric) {
    var cell = row.cells[col];
    var raw = cell.getAttribute("data-value");
    if (numeric) { return parseFloat(raw === null ? cell.textContent : raw) || 0; }
    return (raw === null ? cell.textContent : raw).trim().toLowerCase();
  }

  function sortBy(th, col, numeric) {
    var descending = th.getAttribute("aria-sort") === "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var sorted = rows.slice().sort(function (a, b) {
      var x = cellValue(a, col, numeric);
      var y = cellValue(b, col, numeric);
      var c = x < y ? -1 : x > y ? 1 : 0;
      if (descending) { c = -c; }
      // Ties keep the page order, so repeated sorts are stable and predictable.
      return c || (+a.getAttribute("data-index") - +b.getAttribute("data-index"));
    });
    var frag = document.createDocumentFragment();
    sorted.forEach(function (row) { frag.appendChild(row); });
    body.appendChild(frag);
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    var kind = th.getAttribute("data-sort");
    if (!kind) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    while (th.firstChild) { button.appendChild(th.firstChild); }
    th.appendChild(button);
    button.addEventListener("click", function () { sortBy(th, col, kind === "num"); });
  });

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  form.hidden = false;
  apply();
}());
