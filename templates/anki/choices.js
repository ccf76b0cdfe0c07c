/* quizgen's choice cards: the options in a new order on each review, the same on front and back.
   Inlined into the Choice note type's front and back (no external file), so it runs in Anki
   desktop, AnkiDroid and AnkiMobile alike: plain ES5, and every step guarded, so that with
   script off or failing the card shows its options in the stored order, which reads right too
   (the back's ✓ is inside the right option's row and moves with it).
   The front draws an order and keeps it where the back can read it: a window variable (for a
   client that keeps the page between the two sides, as Anki desktop does) and sessionStorage
   (for one that loads each side as a new page). The back takes the order only when it was kept for this card;
   otherwise it shows the stored order. Letters follow the rows' places, not the options. */
(function () {
  var box = document.querySelector(".qg-choices[data-shuffle]");
  if (!box || !box.getAttribute) { return; }
  var key = "quizgen-order:" + box.getAttribute("data-card");
  var rows = [];
  var letters = [];
  var i;
  for (i = 0; i < box.children.length; i++) {
    if (/(^| )qg-choice( |$)/.test(box.children[i].className)) { rows.push(box.children[i]); }
  }
  var n = rows.length;
  for (i = 0; i < n; i++) {
    var letter = rows[i].querySelector(".qg-letter");
    if (!letter) { return; }
    letters.push(letter.textContent);
  }

  function valid(order) {
    var seen = {};
    if (!order || order.length !== n) { return false; }
    for (var k = 0; k < n; k++) {
      var v = order[k];
      if (typeof v !== "number" || v < 0 || v >= n || v !== Math.floor(v) || seen[v]) {
        return false;
      }
      seen[v] = true;
    }
    return true;
  }

  function kept() {
    var text = null;
    try { text = window.quizgenOrders ? window.quizgenOrders[key] : null; } catch (e) { text = null; }
    if (!text) {
      try { text = window.sessionStorage.getItem(key); } catch (e) { text = null; }
    }
    if (!text) { return null; }
    var order = [];
    var parts = String(text).split(",");
    for (var k = 0; k < parts.length; k++) { order.push(parseInt(parts[k], 10)); }
    return valid(order) ? order : null;
  }

  function keep(order) {
    var text = order.join(",");
    try {
      window.quizgenOrders = window.quizgenOrders || {};
      window.quizgenOrders[key] = text;
    } catch (e) { /* the back falls back to sessionStorage or the stored order */ }
    try { window.sessionStorage.setItem(key, text); } catch (e) { /* no storage here */ }
  }

  function draw() {
    var order = [];
    for (var k = 0; k < n; k++) { order.push(k); }
    for (k = n - 1; k > 0; k--) {
      var j = Math.floor(Math.random() * (k + 1));
      var t = order[k];
      order[k] = order[j];
      order[j] = t;
    }
    return order;
  }

  var order = box.getAttribute("data-side") === "front" ? draw() : kept();
  if (!valid(order)) { return; }
  if (box.getAttribute("data-side") === "front") { keep(order); }
  for (i = 0; i < n; i++) {
    var row = rows[order[i]];
    box.appendChild(row);  // moves it: the rows end in the drawn order
    row.querySelector(".qg-letter").textContent = letters[i];
  }
  box.setAttribute("data-order", order.join(","));
})();
