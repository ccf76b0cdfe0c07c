  // One option of several (the choice types).
  graders.choice = {
    answer: (box) => {
      const picked = box.querySelector("input[type=radio]:checked");
      return picked ? Number(picked.value) : null;
    },
    isRight: (q, given) => given === q.answer_index,
    restore: (box, q, value) => {
      const input = box.querySelector('input[type=radio][value="' + Number(value) + '"]');
      if (input) input.checked = true;
    },
  };
