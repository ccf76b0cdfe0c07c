  // Typed answers: compared as quizgen/data/answer_matching.json says.
  graders.text = {
    answer: (box) => box.querySelector("input[type=text]").value,
    rows: (q, given) => [answersMatch(given, q.answer, q.accepted, q.context, data.language)],
    restore: (box, q, value) => {
      if (typeof value === "string") box.querySelector("input[type=text]").value = value;
    },
  };
