// What tests/test_gift.py asks of gift-pegjs, an independent GIFT parser: each line of stdin is
// a JSON string of GIFT text; each line of stdout is its parse as JSON, or {"error": message}.
const readline = require("readline");
const gift = require("gift-pegjs");

const lines = readline.createInterface({input: process.stdin, terminal: false});
lines.on("line", (line) => {
  let out;
  try {
    out = {questions: gift.parse(JSON.parse(line))};
  } catch (err) {
    out = {error: String(err && err.message)};
  }
  process.stdout.write(JSON.stringify(out) + "\n");
});
