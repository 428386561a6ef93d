/* Progressive enhancement for outputs/index.html: sort buttons in the review table's headers (aria-sort)
   and a filter box. Without this script the page still lists every review, newest first. No network. */
(function () {
  "use strict";
  var table = document.getElementById("reviews");
  if (!table || !table.tHead || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var rows = Array.prototype.slice.call(body.rows);
  var status = document.getElementById("review-status");

  function key(row, col, kind) {
    var cell = row.cells[col];
    var raw = cell.hasAttribute("data-sort-value") ? cell.getAttribute("data-sort-value") : cell.textContent;
    raw = raw.trim();
    if (kind === "number") { var n = parseFloat(raw); return isNaN(n) ? -1 : n; }
    return raw.toLowerCase();
  }

  function sortBy(th, col, kind) {
    var direction = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", direction);
    var sign = direction === "ascending" ? 1 : -1;
    rows.slice().sort(function (a, b) {
      var x = key(a, col, kind), y = key(b, col, kind);
      var c = x < y ? -1 : (x > y ? 1 : 0);
      return c !== 0 ? sign * c : a.getAttribute("data-order") - b.getAttribute("data-order");
    }).forEach(function (row) { body.appendChild(row); });
    var caption = document.getElementById("reviews-caption");
    if (caption) { caption.textContent = "Rendered reviews, sorted by " + th.textContent.trim().toLowerCase() + ", " + direction; }
    if (status) { status.textContent = "Sorted by " + th.textContent.trim() + ", " + direction + "."; }
  }

  headers.forEach(function (th, col) {
    var kind = th.getAttribute("data-sort");
    if (!kind) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    while (th.firstChild) { button.appendChild(th.firstChild); }
    th.appendChild(button);
    button.addEventListener("click", function () { sortBy(th, col, kind); });
  });

  var box = document.getElementById("review-filter-box");
  var input = document.getElementById("review-filter");
  if (!box || !input) { return; }
  box.hidden = false;
  input.addEventListener("input", function () {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute("data-search") || "";
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !match;
      if (match) { shown += 1; }
    });
    if (status) {
      status.textContent = words.length ? "Showing " + shown + " of " + rows.length + " reviews." : "Showing all " + rows.length + " reviews.";
    }
  });
}());
