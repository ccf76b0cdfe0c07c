  // Events put in order with the move buttons: right when every one is in its place.
  graders.order = {
    answer: (box) => Array.from(box.querySelectorAll("[data-item]"), (li) => Number(li.dataset.item)),
    isRight: (q, given) => given.join(",") === q.order.join(","),
    restore: (box, q, value) => {
      if (!Array.isArray(value)) return;
      const list = box.querySelector(".qg-order");
      for (const index of value) {
        const li = list.querySelector('[data-item="' + Number(index) + '"]');
        if (li) list.appendChild(li);
      }
    },
  };
