  // Each item's partner chosen from a list: right when every pair is.
  graders.match = {
    answer: (box) => Array.from(box.querySelectorAll("select"), (s) => (s.value === "" ? null : Number(s.value))),
    isRight: (q, given) => q.pairs.every(([left, right]) => given[left] === right),
    restore: (box, q, value) => {
      if (!Array.isArray(value)) return;
      box.querySelectorAll("select").forEach((s, i) => { if (value[i] !== null) s.value = String(value[i]); });
    },
  };
