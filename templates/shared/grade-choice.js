  // One option of several (the choice types).
  graders.choice = {
    answer: (box) => {
      const picked = box.querySelector("input[type=radio]:checked");
      return picked ? Number(picked.value) : null;
    },
    rows: (q, given) => [given === q.answer_index],
    restore: (box, q, value) => {
      const input = box.querySelector('input[type=radio][value="' + Number(value) + '"]');
      if (input) input.checked = true;
    },
    // The option chosen and the right one, each marked with words: "✗ Your answer", "✓ Correct
    // answer" ("✓ Your answer" when they are one).
    mark: (box, q, given) => {
      for (const input of box.querySelectorAll("input[type=radio]")) {
        const index = Number(input.value);
        const label = input.closest("label");
        if (index === given) mark(label, index === q.answer_index, data.strings.your_answer);
        else if (index === q.answer_index) mark(label, true, data.strings.correct_answer);
      }
    },
  };
