  // A word from the bank chosen at each blank: a row per blank, right when it has its word; each
  // blank marked ✓/✗ after checking, unless no word was chosen at all (the question is then
  // "Not answered", once).
  graders.bank = {
    answer: (box) => Array.from(box.querySelectorAll("select"), (s) => (s.value === "" ? null : Number(s.value))),
    rows: (q, given) => q.blanks.map((word, i) => given[i] === word),
    restore: (box, q, value) => {
      if (!Array.isArray(value)) return;
      box.querySelectorAll("select").forEach((s, i) => { if (value[i] !== null) s.value = String(value[i]); });
    },
    mark: (box, q, given, rows) => {
      if (given.every((v) => v === null)) return;  // not answered: said once, not on every blank
      box.querySelectorAll("select").forEach((select, i) => mark(select, rows[i], null, "afterend"));
    },
  };
