  // A word from the bank chosen at each blank: right when every blank has its word.
  graders.bank = {
    answer: (box) => Array.from(box.querySelectorAll("select"), (s) => (s.value === "" ? null : Number(s.value))),
    isRight: (q, given) => q.blanks.every((word, i) => given[i] === word),
    restore: (box, q, value) => {
      if (!Array.isArray(value)) return;
      box.querySelectorAll("select").forEach((s, i) => { if (value[i] !== null) s.value = String(value[i]); });
    },
  };
