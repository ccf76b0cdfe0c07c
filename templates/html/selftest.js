/* quizgen self-test: grades the page's one form offline. The questions' markup was rendered and
   escaped by quizgen at build time and waits in inert script elements of type
   text/x-quizgen-questions, in chunks: the first is inserted at once, the others one by one once the page has loaded, so a
   deck of thousands of questions answers the first click at once. Apart from inserting those
   chunks, the script only reads values, toggles attributes and sets textContent: no text from the
   content is ever parsed as HTML here. */
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("qg-data").textContent);
  const rules = data.rules;
  const storeKey = "quizgen:" + data.deck + ":" + data.language;
  const form = document.getElementById("qg-form");
  const score = document.getElementById("qg-score");
  const keys = new WeakMap();

  // Answer matching: the rules of quizgen/data/answer_matching.json, in their order.
  const table = new Map(Object.entries(rules.map));
  for (const [start, end] of rules.delete_ranges) {
    for (let c = start.codePointAt(0); c <= end.codePointAt(0); c++) {
      table.set(String.fromCodePoint(c), "");
    }
  }
  const seps = rules.group_separators.map((s) => "\\u" + s.charCodeAt(0).toString(16).padStart(4, "0")).join("");
  const groups = new RegExp("(?<=\\p{Nd})[" + seps + "](?=\\p{Nd}{3}(?!\\p{Nd}))", "gu");
  const number = /\p{Nd}+(?:\.\p{Nd}+)?/gu;
  function fold(text) {
    let out = "";
    for (const ch of text.normalize("NFKC")) out += table.has(ch) ? table.get(ch) : ch;
    return out.toLowerCase();
  }
  const ignored = rules.leading_words_ignored.map(fold);  // compared folded: "سنة" as "سنه"
  const fillers = rules.dates.fillers.map(fold);
  function normalize(text) {
    const out = fold(text).replace(groups, "").replace(/\p{P}/gu, " ");
    let words = out.split(/\s+/).filter(Boolean).map(withoutEra);
    while (words.length > 1 && ignored.includes(words[0])) words = words.slice(1);
    return words.join(" ");
  }
  function withoutEra(word) {  // rules.year_suffixes: "1973م" is 1973
    for (const suffix of rules.year_suffixes) {
      if (word.endsWith(suffix) && word.length === 4 + suffix.length && /^[0-9]{4}/.test(word)) {
        return word.slice(0, 4);
      }
    }
    return word;
  }
  function bare(folded) {  // without a definite article on any word (rules.articles)
    return folded.split(" ").map((word) => {
      for (const prefix of rules.articles.prefixes) {
        if (word.startsWith(prefix) && word.length >= prefix.length + rules.articles.min_rest) {
          return word.slice(prefix.length);
        }
      }
      return word;
    }).join(" ");
  }
  const months = new Map();
  for (const [month, names] of Object.entries(rules.dates.months)) {
    for (const name of names) months.set(normalize(name), Number(month));
  }
  const longest = Math.max(...Array.from(months.keys(), (n) => n.split(" ").length));
  function monthOf(text) {
    if (months.has(text)) return months.get(text);
    for (const prefix of rules.dates.month_prefixes) {
      if (text.startsWith(prefix) && months.has(text.slice(prefix.length))) {
        return months.get(text.slice(prefix.length));
      }
    }
    return 0;
  }
  function dayOrYear(word) {
    for (const suffix of rules.dates.ordinal_suffixes) {
      if (word.endsWith(suffix) && /^[0-9]+$/.test(word.slice(0, -suffix.length))) {
        word = word.slice(0, -suffix.length);
        break;
      }
    }
    return /^[0-9]+$/.test(word) ? Number(word) : null;
  }
  function datesOf(folded) {  // "year-month-day" strings, day 0 for a month and year (rules.dates)
    const words = folded.split(" ").filter((w) => w && !fillers.includes(w));
    const kinds = [];
    let i = 0;
    while (i < words.length) {
      let month = 0;
      let size = Math.min(longest, words.length - i);
      for (; size > 0; size--) {
        month = monthOf(words.slice(i, i + size).join(" "));
        if (month) break;
      }
      if (month) { kinds.push(["m", month]); i += size; continue; }
      const n = dayOrYear(words[i]);
      if (n === null) return new Set();
      kinds.push(["n", n]);
      i += 1;
    }
    const once = kinds.filter((k, i) => !(k[0] === "m" && i > 0 &&
      kinds[i - 1][0] === "m" && kinds[i - 1][1] === k[1]));  // a month named in two calendars
    const shape = once.map((k) => k[0]).join("");
    const v = once.map((k) => k[1]);
    let found = [];
    if (shape === "nmn") found = [[v[2], v[1], v[0]]];
    else if (shape === "mnn") found = [[v[2], v[0], v[1]]];
    else if (shape === "mn") found = [[v[1], v[0], 0]];
    else if (shape === "nnn") found = v[0] >= 1000 ? [[v[0], v[1], v[2]]] : [[v[2], v[1], v[0]], [v[2], v[0], v[1]]];
    else if (shape === "nn") found = [[v[1], v[0], 0]];
    return new Set(found.filter(([y, m, d]) => y >= 100 && m >= 1 && m <= 12 && d >= 0 && d <= 31 &&
      (d > 0 || shape === "mn" || shape === "nn")).map((date) => date.join("-")));
  }
  function answersMatch(typed, expected, accepted) {
    const folded = normalize(typed);
    if (!folded) return false;
    for (const target of [expected, ...(accepted || [])]) {
      const want = normalize(target);
      if (folded === want) return true;
      const numbers = want.match(number) || [];
      const wanted = numbers.length ? datesOf(want) : new Set();
      if (numbers.length === 1 && wanted.size === 0 &&
          sameNumber(folded, want, Number(numbers[0]))) return true;
      if (bare(folded) === bare(want)) return true;
      if (plain(bare(folded)) === plain(bare(want))) return true;
      if (wanted.size === 1 && datesOf(folded).has([...wanted][0])) return true;
      if (oneSlip(bare(folded), bare(want))) return true;
    }
    return false;
  }
  const numberWords = new Map(Object.entries(rules.numbers.words).map(([w, n]) => [normalize(w), n]));
  const multipliers = new Map(Object.entries(rules.numbers.multipliers).map(([w, n]) => [normalize(w), n]));
  const wholeNumber = new RegExp("^" + number.source + "$", "u");
  // rules.same_words: a number word as its digits ("two" -> "2"), a group's words as its first
  const plainWords = new Map([...numberWords].filter(([w]) => !w.includes(" "))
    .map(([w, n]) => [w, String(n)]));
  for (const group of rules.same_words.groups) {
    const folded = group.map((w) => bare(normalize(w)));
    const first = plainWords.get(folded[0]) || folded[0];
    for (const w of folded) plainWords.set(w, first);
  }
  function plain(folded) {
    return folded.split(" ").map((w) => (plainWords.has(w) ? plainWords.get(w) : w)).join(" ");
  }
  function inWords(text) {  // one of the words, or a ten and a unit: "twenty five", "خمسة وعشرون"
    if (numberWords.has(text)) return numberWords.get(text);
    const parts = text.split(" ");
    if (parts.length !== 2) return undefined;
    const first = numberWords.get(parts[0]);
    let second = numberWords.get(parts[1]);
    if (second === undefined) {
      for (const c of rules.numbers.conjunctions) {
        const rest = parts[1].slice(c.length);
        if (parts[1].startsWith(c) && numberWords.has(rest)) { second = numberWords.get(rest); break; }
      }
    }
    if (first === undefined || second === undefined) return undefined;
    const ten = Math.max(first, second);
    const unit = Math.min(first, second);
    return ten >= 20 && ten <= 90 && ten % 10 === 0 && unit >= 1 && unit <= 9 ? ten + unit : undefined;
  }
  function sameNumber(folded, want, value) {  // rules.numbers: digits, words, thousands
    const parts = folded.split(" ");
    if (parts.length < 1 || parts.length > rules.numbers.most_words + 1) return false;
    const factor = parts.length > 1 ? multipliers.get(parts[parts.length - 1]) : undefined;
    const head = (factor === undefined ? parts : parts.slice(0, -1)).join(" ");
    const first = wholeNumber.test(head) ? Number(head) : inWords(head);
    if (first === undefined) return false;
    if (factor === undefined) return first === value;
    return first * factor === value ||  // "7 מליארד" for "7 מיליארד": its word, spelt otherwise
      (first === value && want.split(" ").some((w) => multipliers.get(w) === factor));
  }
  function oneSlip(typed, want) {  // rules.spelling: one slip in one long word
    const mine = typed.split(" ");
    const theirs = want.split(" ");
    if (mine.length !== theirs.length) return false;
    const differ = mine.map((w, i) => [w, theirs[i]]).filter(([x, y]) => x !== y);
    if (differ.length !== 1) return false;
    let a = Array.from(differ[0][0]);
    let b = Array.from(differ[0][1]);
    if (b.length < rules.spelling.min_length || /\p{Nd}/u.test(a.join("") + b.join(""))) return false;
    if (Math.abs(a.length - b.length) > rules.spelling.max_edits) return false;
    let start = 0;
    while (start < Math.min(a.length, b.length) && a[start] === b[start]) start += 1;
    a = a.slice(start);
    b = b.slice(start);
    const same = (x, y) => x.join("") === y.join("");
    return same(a.slice(1), b.slice(1)) || same(a, b.slice(1)) || same(a.slice(1), b) ||
      (a.length > 1 && a[0] === b[1] && a[1] === b[0] && same(a.slice(2), b.slice(2)));
  }
  window.quizgenMatch = { normalize, answersMatch };  // for the tests

  function keyOf(box) {
    let key = keys.get(box);
    if (!key) { key = JSON.parse(box.dataset.key); keys.set(box, key); }
    return key;
  }
  // The page may hold several rounds (form.dataset.round is the one shown): every action below
  // concerns the questions of the round shown.
  function boxes() {
    return form.querySelectorAll('[data-question-id][data-round="' + form.dataset.round + '"]');
  }

  // A round is shown a page at a time: pages of PAGE_SIZE questions, the questions in play (those
  // of the round shown, but for the ones a retry put away) spread evenly over them, so that a page
  // never holds a remainder of one or two (LEFTOVER): 38 questions are pages of 10, 10, 9 and 9,
  // 12 are one page, 13 are two of 7 and 6. A question in play on another page, and a section
  // with none on the page shown, carry data-off-page: not on screen (the stylesheet), printed.
  // A question out of play, and a section with none in play, are hidden. Without the page's pager
  // (a deck's own copy of an older selftest.html.j2) the round is one page.
  const PAGE_SIZE = 10;
  const LEFTOVER = 2;
  const pager = form.querySelector(".qg-pager");
  const pageStatus = document.getElementById("qg-page-status");
  let page = 0;  // the page shown, from 0
  let pages = 1;
  let placed = 0;  // the questions in play inserted so far, in document order
  function pageCount(n) {
    return pager ? Math.max(1, Math.ceil((n - LEFTOVER) / PAGE_SIZE)) : 1;
  }
  function pageStart(index, n) {  // the first question of page `index`, among the `n` in play
    const size = Math.floor(n / pages);
    return index * size + Math.min(index, n % pages);
  }
  function onPage(i) {
    return i >= pageStart(page, playing) && i < pageStart(page + 1, playing);
  }
  function paginate() {  // who is shown where, after any change to the questions in play
    pages = pageCount(playing);
    page = Math.min(page, pages - 1);
    placed = 0;
    const shown = new Set();
    const here = new Set();
    for (const box of form.querySelectorAll("[data-question-id]")) {
      const on = !box.hidden && onPage(placed);
      box.toggleAttribute("data-off-page", !box.hidden && !on);
      if (box.hidden) continue;
      placed += 1;
      shown.add(box.parentNode);
      if (on) here.add(box.parentNode);
    }
    for (const section of form.querySelectorAll(".qg-section")) {
      section.hidden = !shown.has(section);
      section.toggleAttribute("data-off-page", shown.has(section) && !here.has(section));
    }
    showPager();
  }
  function showPager() {
    if (!pager) return;
    pager.hidden = pages < 2;
    document.getElementById("qg-previous").disabled = page === 0;
    document.getElementById("qg-next").disabled = page === pages - 1;
    if (!pageStatus) return;
    pageStatus.hidden = pages < 2;
    const text = data.strings.page.replace("{page}", String(page + 1))
      .replace("{pages}", String(pages));
    if (pageStatus.textContent !== text) pageStatus.textContent = text;  // announced on change
  }
  // Shows page `index` (the questions it needs inserted first) and moves focus to the title of
  // its first question, its section's heading scrolled to the top of the screen.
  function showPage(index) {
    page = Math.max(0, Math.min(index, pages - 1));
    while (placed < pageStart(page + 1, playing) && insertNext()) { /* up to the page's end */ }
    paginate();
    const first = inPlay().find((box) => !box.hasAttribute("data-off-page"));
    if (!first) return;
    first.parentNode.scrollIntoView({ block: "start" });
    const legend = first.querySelector("legend");
    legend.tabIndex = -1;
    legend.focus({ preventScroll: true });
  }

  // After checking, a mark on an option, a row or a blank: ✓ or ✗ and words, never colour alone.
  // The words are shown (`words`: "Your answer", "Correct answer") or, by default, read by
  // screen readers only ("Correct", "Incorrect"). `place`: where, as insertAdjacentElement's.
  function mark(where, ok, words, place) {
    const span = document.createElement("span");
    span.className = "qg-mark";
    span.dataset.mark = ok ? "right" : "wrong";
    const sign = document.createElement("span");
    sign.setAttribute("aria-hidden", "true");
    sign.textContent = ok ? "\u2713" : "\u2717";
    const text = document.createElement("span");
    text.textContent = words || (ok ? data.strings.correct : data.strings.incorrect);
    if (!words) text.className = "qg-sr";
    span.append(sign, text);
    where.insertAdjacentElement(place || "beforeend", span);
  }
  function unmark(box) {
    for (const old of box.querySelectorAll(".qg-mark")) old.remove();
  }

  // How each kind of question is answered and graded: quizgen adds here the grader of every
  // question type's kind (its module's GRADING and GRADER), each setting graders[kind] to
  // { answer(box), rows(key, given), restore(box, key, value) } and, where it marks its options
  // or rows after checking, mark(box, key, given, rows). rows() is right or wrong for each part
  // of the answer: one for a choice or a typed answer, one per pair, place or blank for the
  // others. A question earns the share of its rows that are right (docs/html.md).
  const graders = {};
/* graders */
  function answerOf(box) { return graders[keyOf(box).type].answer(box); }

  // Answers are kept per question id in localStorage, also for questions not inserted yet.
  let saved = {};
  try { saved = JSON.parse(localStorage.getItem(storeKey) || "{}") || {}; } catch (e) { saved = {}; }
  if (typeof saved !== "object" || Array.isArray(saved)) saved = {};
  function persist() {
    try { localStorage.setItem(storeKey, JSON.stringify(saved)); } catch (e) { /* private mode */ }
  }
  function save(box) {
    saved[box.dataset.questionId] = answerOf(box);
    persist();
  }
  function saveAll() {
    for (const box of boxes()) saved[box.dataset.questionId] = answerOf(box);
    persist();
  }
  function restore(box) {
    const value = saved[box.dataset.questionId];
    const q = keyOf(box);
    if (value === null || value === undefined) return;
    graders[q.type].restore(box, q, value);
  }

  // The progress count in the bar ("12 of 40 answered", a polite live region): the questions in
  // play with an answer (a choice, some text, every pair or blank chosen, an event moved).
  const progress = document.getElementById("qg-progress");
  const answered = new Set();
  let playing = data.sizes ? data.sizes[0] : 0;  // the questions in play, once all are inserted
  function hasAnswer(box) {
    const given = answerOf(box);
    if (given === null || given === undefined) return false;
    if (typeof given === "string") return given.trim() !== "";
    return Array.isArray(given) ? given.every((v) => v !== null) : true;
  }
  function track(box) {
    if (!box.hidden && hasAnswer(box)) answered.add(box);
    else answered.delete(box);
  }
  function showProgress() {
    if (!progress) return;
    const text = data.strings.answered.replace("{n}", String(answered.size))
      .replace("{total}", String(playing));
    if (progress.textContent !== text) progress.textContent = text;  // announced only on change
  }
  function recount() {  // the questions in play changed: retry, shuffle, a new round
    answered.clear();
    const shown = inPlay();
    for (const box of shown) track(box);
    playing = shown.length;
    showProgress();
  }

  // Inserting the chunks of questions, in document order.
  function insertNext() {
    const chunk = document.querySelector("script.qg-chunk");
    if (!chunk) return false;
    const section = form.querySelector('[data-section="' + CSS.escape(chunk.dataset.section) + '"]');
    const holder = document.createElement("template");
    holder.innerHTML = chunk.textContent;  // quizgen's own escaped markup (see above)
    const added = Array.from(holder.content.querySelectorAll("[data-question-id]"));
    for (const box of added) {  // in play, placed after those inserted before (see paginate)
      box.hidden = box.dataset.round !== form.dataset.round;
      if (box.hidden) continue;
      const on = onPage(placed);
      placed += 1;
      box.toggleAttribute("data-off-page", !on);
      if (section.hidden) { section.hidden = false; section.setAttribute("data-off-page", ""); }
      if (on) section.removeAttribute("data-off-page");
    }
    section.appendChild(holder.content);
    chunk.remove();
    for (const box of added) { restore(box); track(box); }
    showProgress();
    return true;
  }
  function insertAll() {
    while (insertNext()) { /* every remaining chunk */ }
    document.documentElement.dataset.complete = "true";
  }
  // The rest goes in while the browser is idle, so typing and clicking always come first.
  const later = window.requestIdleCallback
    ? (step) => window.requestIdleCallback(step, { timeout: 500 })
    : (step) => setTimeout(step, 0);
  function pump() {
    if (insertNext()) later(pump);
    else document.documentElement.dataset.complete = "true";
  }

  function inPlay() {
    return Array.from(boxes()).filter((b) => !b.hidden);
  }
  // A question left as it came (no choice, no text, no pair or blank chosen, no event moved) is
  // not answered: it earns nothing and says so ("Not answered"), rather than "Incorrect". One
  // answered in part is graded, its rows left untouched wrong.
  function untouched(given) {
    if (given === null || given === undefined) return true;
    if (typeof given === "string") return given.trim() === "";
    return Array.isArray(given) && given.every((v) => v === null);
  }
  function check() {
    insertAll();
    let points = 0;
    let allRight = 0;
    const shown = inPlay();
    for (const box of shown) {
      const q = keyOf(box);
      const given = answerOf(box);
      const rows = graders[q.type].rows(q, given);
      const blank = untouched(given);
      const right = blank ? 0 : rows.filter(Boolean).length;
      points += right / rows.length;
      allRight += right === rows.length ? 1 : 0;
      box.dataset.result = blank ? "unanswered"
        : right === rows.length ? "right" : right > 0 ? "partial" : "wrong";
      unmark(box);
      if (graders[q.type].mark) graders[q.type].mark(box, q, given, rows);
      let verdict = blank ? data.strings.not_answered
        : right === rows.length ? data.strings.correct
          : right > 0 ? data.strings.partly : data.strings.incorrect;
      const count = box.querySelector("[data-count]");  // "4 of 6 pairs"
      if (count && !blank) {
        verdict += " \u00b7 " + count.dataset.count.replace("{right}", String(right))
          .replace("{total}", String(rows.length));
      }
      box.querySelector(".qg-verdict").textContent = verdict;
      box.querySelector(".qg-feedback").hidden = false;
    }
    // The points are summed (4 of 6 pairs adds 4/6), then shown to a tenth.
    const total = String(Math.round(points * 10) / 10) + "/" + shown.length;
    score.dataset.score = total;
    score.textContent = data.strings.score + ": " + total;
    score.hidden = false;
    document.getElementById("qg-retry").disabled = allRight === shown.length;
    score.focus();
  }
  function clearResults() {
    for (const box of boxes()) {
      delete box.dataset.result;
      unmark(box);
      box.querySelector(".qg-feedback").hidden = true;
    }
    score.hidden = true;
    delete score.dataset.score;
  }
  function reset(box) {
    for (const input of box.querySelectorAll("input[type=text]")) input.value = "";
    for (const input of box.querySelectorAll("input[type=radio]")) input.checked = false;
    for (const select of box.querySelectorAll("select")) select.value = "";
    delete box.dataset.moved;
  }
  function shuffle(parent, selector) {
    const items = Array.from(parent.querySelectorAll(":scope > " + selector));
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    for (const item of items) parent.appendChild(item);
  }
  function renumber() {
    let n = 0;
    for (const box of boxes()) {
      if (box.hidden) continue;
      n += 1;
      box.querySelector(".qg-num").textContent = String(n);
      const label = box.querySelector("legend .qg-sr + .qg-sr");
      if (label) label.textContent = data.strings.question.replace("{n}", String(n));
    }
  }

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-move]");
    if (!button) return;
    const li = button.closest("[data-item]");
    const sibling = button.dataset.move === "up" ? li.previousElementSibling : li.nextElementSibling;
    if (!sibling) return;
    if (button.dataset.move === "up") li.parentNode.insertBefore(li, sibling);
    else li.parentNode.insertBefore(sibling, li);
    button.focus();
    const box = li.closest("[data-question-id]");
    box.dataset.moved = "true";
    // Announced: the event and its new place ("Treaty of Kabul: now 2 of 5").
    const status = box.querySelector(".qg-status");
    const items = Array.from(li.parentNode.children);
    const fields = { item: li.querySelector(".qg-item-text").textContent,
      n: String(items.indexOf(li) + 1), total: String(items.length) };
    status.textContent = (status.dataset.moved || "{item}")
      .replace(/\{(item|n|total)\}/g, (whole, name) => fields[name]);
    save(box);
    track(box);
    showProgress();
  });
  function changed(event) {
    const box = event.target.closest("[data-question-id]");
    if (!box) return;
    save(box);
    track(box);
    showProgress();
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", (event) => { event.preventDefault(); check(); });
  // Enter in a text box would submit the form, grading every question, half of them untouched:
  // it confirms that answer and moves to the next field of the questions shown, on this page (at
  // its last field, it stays). The check button grades.
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.isComposing && event.target.matches("input[type=text]")) {
      event.preventDefault();
      save(event.target.closest("[data-question-id]"));
      const shown = "[data-question-id]:not([hidden]):not([data-off-page])";
      const fields = Array.from(form.querySelectorAll(shown + " input, " + shown + " select"));
      const next = fields[fields.indexOf(event.target) + 1];
      if (next) next.focus();
    }
  });
  document.getElementById("qg-retry").addEventListener("click", () => {
    insertAll();
    for (const box of boxes()) {
      if (box.dataset.result === "right") box.hidden = true;
      else if (box.dataset.result) reset(box);  // wrong or partly right
    }
    clearResults();
    renumber();
    recount();
    page = 0;
    paginate();
    saveAll();
    const first = inPlay()[0];
    if (first) first.querySelector("input, select, button").focus();
  });
  document.getElementById("qg-shuffle").addEventListener("click", () => {
    insertAll();
    for (const box of boxes()) {
      box.hidden = false;
      reset(box);
      for (const list of box.querySelectorAll(".qg-choices, .qg-order")) {
        shuffle(list, list.classList.contains("qg-order") ? "li" : "label");
      }
    }
    for (const section of form.querySelectorAll(".qg-section")) shuffle(section, "fieldset");
    clearResults();
    renumber();
    recount();
    page = 0;
    paginate();
    saveAll();
  });
  const roundButton = document.getElementById("qg-round");
  if (roundButton) {
    roundButton.addEventListener("click", () => {
      insertAll();
      for (const box of boxes()) reset(box);
      clearResults();
      saveAll();
      for (const box of boxes()) box.hidden = true;
      const next = (Number(form.dataset.round) + 1) % data.rounds;
      form.dataset.round = String(next);
      for (const box of boxes()) box.hidden = false;
      renumber();
      recount();
      page = 0;
      paginate();
      document.getElementById("qg-retry").disabled = true;
      document.getElementById("qg-round-status").textContent = data.round_label
        .replace("{n}", String(next + 1)).replace("{total}", String(data.rounds));
      const first = inPlay()[0];
      if (first) first.querySelector("input, select, button").focus();
    });
  }
  if (pager) {
    document.getElementById("qg-previous").addEventListener("click", () => showPage(page - 1));
    document.getElementById("qg-next").addEventListener("click", () => showPage(page + 1));
  }
  paginate();  // no question inserted yet: every section hidden, the pager set for the round
  insertNext();
  performance.mark("qg-ready");
  document.documentElement.dataset.ready = "true";
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", pump);
  else pump();
})();
