  // Events put in order with the move buttons: a row per place, right when the event in it is
  // the one that belongs there; each event marked ✓/✗ after checking. Until an event is moved
  // (box.dataset.moved) the question is unanswered ("Not answered", its events unmarked), and
  // earns nothing for the events its first order happens to put in their place.
  graders.order = {
    answer: (box) => (box.dataset.moved
      ? Array.from(box.querySelectorAll("[data-item]"), (li) => Number(li.dataset.item)) : null),
    rows: (q, given) => q.order.map((item, place) => given !== null && given[place] === item),
    restore: (box, q, value) => {
      if (!Array.isArray(value)) return;
      box.dataset.moved = "true";
      const list = box.querySelector(".qg-order");
      for (const index of value) {
        const li = list.querySelector('[data-item="' + Number(index) + '"]');
        if (li) list.appendChild(li);
      }
    },
    mark: (box, q, given, rows) => {
      if (given === null) return;  // never moved: not answered, said once, not on every event
      box.querySelectorAll("[data-item] .qg-item-text").forEach((text, place) => mark(text, rows[place], null, "afterend"));
    },
  };
