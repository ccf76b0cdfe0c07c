  // Each item's partner chosen from a list: a row per item, right when its partner is; each row
  // marked ✓/✗ after checking, unless no partner was chosen at all (the question is then "Not
  // answered", once).
  graders.match = {
    answer: (box) => Array.from(box.querySelectorAll("select"), (s) => (s.value === "" ? null : Number(s.value))),
    rows: (q, given) => q.pairs.map(([left, right]) => given[left] === right),
    restore: (box, q, value) => {
      if (!Array.isArray(value)) return;
      box.querySelectorAll("select").forEach((s, i) => { if (value[i] !== null) s.value = String(value[i]); });
    },
    mark: (box, q, given, rows) => {
      if (given.every((v) => v === null)) return;  // not answered: said once, not on every row
      const selects = box.querySelectorAll("select");
      q.pairs.forEach(([left], i) => mark(selects[left], rows[i], null, "afterend"));
    },
  };
