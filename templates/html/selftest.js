/* quizgen self-test: grades the page's one form offline. The questions wait in inert script
   elements of type text/x-quizgen-questions, in chunks: the first is inserted at once, the others
   one by one once the page has loaded, so a deck of thousands of questions answers the first
   click at once. A chunk holds the questions as data: skeletons of their markup, rendered by
   quizgen from the types' templates, and each question's texts, which the script escapes into
   the skeleton's places (chunkMarkup). Apart from inserting those chunks, the script only reads
   values, toggles attributes and sets textContent: no text from the content is ever parsed as
   HTML here unescaped. */
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("qg-data").textContent);
  const rules = data.rules;
  const storeKey = "quizgen:" + data.deck + ":" + data.language;
  const form = document.getElementById("qg-form");
  const score = document.getElementById("qg-score");
  const keys = new WeakMap();

  // Answer matching: the rules of quizgen/data/answer_matching.json, as quizgen/matching.py
  // applies them (the same steps, in the same order; tests/data/answer_matching_cases.json).
  const table = new Map(Object.entries(rules.map));
  for (const [start, end] of rules.delete_ranges) {
    for (let c = start.codePointAt(0); c <= end.codePointAt(0); c++) {
      table.set(String.fromCodePoint(c), "");
    }
  }
  const escape = (s) => Array.from(s, (c) => "\\u{" + c.codePointAt(0).toString(16) + "}").join("");
  const seps = escape(rules.group_separators.join(""));
  const groups = new RegExp("(?<=\\p{Nd})[" + seps + "](?=\\p{Nd}{3}(?!\\p{Nd}))", "gu");
  const symbols = escape(rules.currency_symbols);
  const currencySign = new RegExp("(?<=\\p{Nd})(?=[" + symbols + "])|(?<=[" + symbols + "])(?=\\p{Nd})", "gu");
  const dotted = /(?<![\p{L}\p{N}])(?:\p{L}\.)+\p{L}(?![\p{L}\p{N}])\.?/gu;
  const possessive = /(?<=\p{L})['\u2019\u02bc]s(?![\p{L}\p{N}])/gu;
  const parentheses = /^([^()]*)\(([^()]*)\)([^()]*)$/u;
  const blank = /_{3,}/u;
  const numberRe = /\p{Nd}+(?:\.\p{Nd}+)?/gu;
  const wholeNumber = /^\p{Nd}+(?:\.\p{Nd}+)?$/u;
  const digitsRe = /^[0-9]+$/;
  const suffixed = /^(\p{Nd}+(?:\.\p{Nd}+)?)([a-z]+)$/u;
  const cached = (f) => { const memo = new Map(); return (x) => { if (!memo.has(x)) memo.set(x, f(x)); return memo.get(x); }; };
  const foldWords = cached((text) => {  // the words of text folded, before any is left out
    let out = "";
    for (const ch of text.normalize("NFKC")) out += table.has(ch) ? table.get(ch) : ch;
    out = out.toLowerCase().replace(dotted, (m) => m.replaceAll(".", ""));
    out = out.replace(groups, "").replace(/\p{P}/gu, " ").replace(currencySign, " ");
    const words = [];
    for (const word of out.split(/\s+/).filter(Boolean)) {
      const last = words[words.length - 1];
      if (rules.year_suffixes.includes(word) && last !== undefined && /^[0-9]{4}$/.test(last)) continue;
      words.push(withoutEra(word));
    }
    return words;
  });
  function withoutEra(word) {  // rules.year_suffixes: "1973م" is 1973
    for (const suffix of rules.year_suffixes) {
      if (word.endsWith(suffix) && word.length === 4 + suffix.length && /^[0-9]{4}/.test(word)) {
        return word.slice(0, 4);
      }
    }
    return word;
  }
  const folded = (list) => new Set(list.map((w) => foldWords(w).join(" ")));
  const ignored = folded(rules.leading_words_ignored);
  const trailing = folded(rules.trailing_words_ignored);
  const fillers = folded(rules.dates.fillers);
  const bare = cached((text) => text.split(" ").map((word) => {  // without an article on any word
    for (const prefix of rules.articles.prefixes) {
      if (word.startsWith(prefix) && word.length >= prefix.length + rules.articles.min_rest) {
        return word.slice(prefix.length);
      }
    }
    return word;
  }).join(" "));
  const common = new Set([...folded(rules.common_words.words)].map(bare));
  const normalize = cached((text) => {
    let words = foldWords(text);
    while (words.length > 1 && ignored.has(words[0]) && !(words.length === 2 && common.has(bare(words[1])))) {
      words = words.slice(1);
    }
    while (words.length > 1 && trailing.has(words[words.length - 1])) words = words.slice(0, -1);
    return words.join(" ");
  });

  function answersMatch(typed, expected, accepted, context, language) {
    const forms = [expected, ...(accepted || [])];
    const targets = forms.map(normalize);
    context = context || "";
    language = language || null;
    const readings = [typed];
    if (typed.search(possessive) >= 0) readings.push(typed.replace(possessive, ""));
    for (const reading of readings) {
      const mine = normalize(reading);
      if (mine && matches(mine, targets, forms, context, language)) return true;
    }
    const parts = typed.match(parentheses);
    if (parts) {
      return [parts[1] + " " + parts[3], parts[2]].every((p) =>
        normalize(p) !== "" && answersMatch(p, expected, accepted, context, language));
    }
    return false;
  }
  function matches(typed, targets, forms, context, language) {  // as typed, then its other readings
    const months = context ? contextMonths(context) : new Set();
    if (targets.some((w) => match(typed, w, language)) && agrees(typed, months, targets)) return true;
    const candidates = [typed, ...unprefixed(typed)];
    const rest = withoutNearly(typed);
    if (rest && (approximate(context) || forms.some(approximate))) candidates.push(rest);
    if (context) {
      const own = contextWords(context);
      for (const c of candidates.slice()) {
        for (const part of trimmed(c.split(" "), own)) candidates.push(normalize(part));
      }
    }
    return candidates.slice(1).some((c) => targets.some((w) => match(c, w, language)) &&
      agrees(c, months, targets));
  }
  function agrees(text, months, targets) {  // no month other than the question's around its blank
    if (!months.size) return true;
    const allowed = new Set(months);
    for (const t of targets) for (const m of monthsNamed(t)) allowed.add(m);
    return [...monthsNamed(text)].every((m) => allowed.has(m));
  }
  const matchMemo = new Map();
  function match(typed, want, language) {  // the comparisons of two folded answers, in order
    const key = typed + "\u0000" + want + "\u0000" + language;
    if (!matchMemo.has(key)) matchMemo.set(key, compare(typed, want, language));
    return matchMemo.get(key);
  }
  function compare(typed, want, language) {
    if (typed === want) return true;
    const mine = bare(typed);
    const theirs = bare(want);
    if (mine === theirs) return true;
    if (typed.replaceAll(" ", "") === want.replaceAll(" ", "") && !/[0-9]/.test(typed)) return true;
    const amount = canonical(mine);
    const wanted = canonical(theirs);
    if (amount === wanted || sameNumber(amount, want, wanted)) return true;
    return sameDate(typed, want, language) || oneSlip(mine, theirs);
  }
  function sameNumber(amount, want, wanted) {  // a number alone for the only number of want
    if (!wholeNumber.test(amount)) return false;
    const written = want.match(numberRe) || [];
    if (written.length !== 1 || readings(want, null, false).length) return false;
    const words = wanted.split(" ");
    if (words.some((w) => signs.includes(w))) return false;
    const numbers = words.filter((w) => wholeNumber.test(w));
    const value = Number(amount);
    return value === Number(written[0]) || (numbers.length === 1 && value === Number(numbers[0]));
  }
  function oneSlip(typed, want) {  // rules.spelling: one slip in one long word
    const mine = typed.split(" ");
    const theirs = want.split(" ");
    if (mine.length !== theirs.length) return false;
    const differ = mine.map((w, i) => [w, theirs[i]]).filter(([x, y]) => x !== y);
    if (differ.length !== 1) return false;
    let a = Array.from(differ[0][0]);
    let b = Array.from(differ[0][1]);
    if (b.length < rules.spelling.min_length || /\p{Nd}/u.test(a.join("") + b.join(""))) return false;
    if (Math.abs(a.length - b.length) > rules.spelling.max_edits) return false;
    let start = 0;
    while (start < Math.min(a.length, b.length) && a[start] === b[start]) start += 1;
    a = a.slice(start);
    b = b.slice(start);
    const same = (x, y) => x.join("") === y.join("");
    return same(a.slice(1), b.slice(1)) || same(a, b.slice(1)) || same(a.slice(1), b) ||
      (a.length > 1 && a[0] === b[1] && a[1] === b[0] && same(a.slice(2), b.slice(2)));
  }

  // Prefixes (rules.prefixes), nearly (rules.approximate), the question's words (rules.context).
  const prefixes = rules.prefixes.glued.slice().sort((x, y) => y.length - x.length);
  const unprefixed = cached((text) => {  // text with a prefix taken off its first word
    const at = text.indexOf(" ");
    const first = at < 0 ? text : text.slice(0, at);
    const tail = at < 0 ? "" : text.slice(at + 1);
    return prefixes.filter((p) => first.startsWith(p) && first.length >= p.length + rules.prefixes.min_rest)
      .map((p) => normalize(first.slice(p.length) + " " + tail));
  });
  const nearlyWords = rules.approximate.nearly.map(foldWords).sort((x, y) => y.length - x.length);
  const aboutWords = [...folded(rules.approximate.about)];
  function withoutNearly(text) {
    const words = text.split(" ");
    for (const phrase of nearlyWords) {
      const rest = after(words, 0, phrase);
      if (rest && rest.length) return normalize(rest.join(" "));
    }
    return "";
  }
  const sameWords = (x, y) => x.length === y.length && x.every((w, k) => w === y[k]);
  function after(words, i, phrase) {  // the words after phrase at words[i]; null where it is not
    if (sameWords(words.slice(i, i + phrase.length), phrase)) return words.slice(i + phrase.length);
    const last = phrase[phrase.length - 1];
    const j = i + phrase.length - 1;
    if (last.length === 1 && sameWords(words.slice(i, j), phrase.slice(0, -1)) && j < words.length &&
        words[j].startsWith(last) && words[j].length > 1) {
      return [words[j].slice(1), ...words.slice(j + 1)];
    }
    return null;
  }
  const approximate = cached((text) => {
    if (!text) return false;
    const all = " " + foldWords(text).join(" ") + " ";
    return aboutWords.some((w) => all.includes(" " + w + " "));
  });
  function nearBlank(context) {  // the words within rules.context.window of the blank
    const at = context.search(blank);
    if (at < 0) return [foldWords(context), foldWords(context)];
    const end = at + context.slice(at).match(blank)[0].length;
    const window = rules.context.window;
    return [foldWords(context.slice(0, at)).slice(-window), foldWords(context.slice(end)).slice(0, window)];
  }
  function variants(words) {
    const out = new Set(words);
    for (const w of [...out]) for (const u of unprefixed(w)) out.add(u);
    for (const w of [...out]) out.add(bare(w));
    return out;
  }
  const contextWords = cached((context) => {  // [words a typed answer may open with, end with]
    const [before, afterBlank] = nearBlank(context);
    const named = new Set(canonical(bare(foldWords(context).join(" "))).split(" "));
    const opening = variants(before);
    for (const [code, words] of currencyWords) if (named.has(code)) for (const w of words) opening.add(w);
    const closing = new Set(opening);
    for (const w of variants(afterBlank)) closing.add(w);
    return [opening, closing];
  });
  const contextMonths = cached((context) => {
    if (context.search(blank) < 0) return new Set();
    const [before, afterBlank] = nearBlank(context);
    return monthsNamed([...before, ...afterBlank].join(" "));
  });
  const monthsNamed = cached((text) => {
    const words = text.split(" ").filter(Boolean);
    const found = new Set();
    for (let i = 0; i < words.length; i++) {
      for (let size = Math.min(longest, words.length - i); size > 0; size--) {
        const month = monthOf(words.slice(i, i + size).join(" "));
        if (month) { found.add(month); break; }
      }
    }
    return found;
  });
  function trimmed(words, [opening, closing]) {  // without the question's words at its ends
    const owned = (word, allowed) => {
      if (allowed.has(word) || allowed.has(bare(word))) return true;
      if (unprefixed(word).some((u) => allowed.has(u) || allowed.has(bare(u)))) return true;
      return Object.entries(rules.context.construct_endings).some(([a, b]) =>
        word.endsWith(a) && allowed.has(word.slice(0, -a.length) + b));
    };
    const out = [];
    for (let i = 0; i < words.length; i++) {
      if (i && !owned(words[i - 1], opening)) break;
      for (let j = words.length; j > i; j--) {
        if (i || j < words.length) out.push(words.slice(i, j).join(" "));
        if (!owned(words[j - 1], closing)) break;
      }
    }
    return out;
  }

  // Amounts (rules.numbers, currencies, comparatives): numbers, currencies and comparatives
  // written one way.
  const signs = [">", "<"];
  function forms(text) {  // a listed word or phrase as answers are compared
    const out = new Map();
    for (const f of [foldWords(text).join(" "), normalize(text)]) {
      if (f) out.set(bare(f), bare(f).split(" "));
    }
    return [...out.values()];
  }
  function numberTable(listed) {
    const out = new Map();
    for (const [w, v] of Object.entries(listed)) for (const f of forms(w)) out.set(f.join(" "), v);
    return out;
  }
  function phraseList(groups) {
    const found = new Map();
    for (const [key, listed] of Object.entries(groups)) {
      if (key.startsWith("$")) continue;
      for (const w of listed) for (const f of forms(w)) found.set(f.join(" ") + "\u0000" + key, [f, key]);
    }
    return [...found.values()].sort((x, y) => y[0].length - x[0].length);
  }
  const numbers = rules.numbers;
  const numberWords = numberTable(numbers.words);
  const multipliers = numberTable(numbers.multipliers);
  const needANumber = new Set(numbers.need_a_number.flatMap((w) => forms(w).map((f) => f.join(" "))));
  const suffixesWithCurrency = new Set(numbers.suffixes_with_currency_only);
  const currencies = phraseList(rules.currencies);
  const currencyWords = new Map();
  for (const [phrase, code] of currencies) {
    if (!currencyWords.has(code)) currencyWords.set(code, new Set());
    for (const w of phrase) currencyWords.get(code).add(w);
  }
  const comparatives = phraseList(rules.comparatives);
  const same = new Map();  // rules.same_words: a group's words as its first
  for (const group of rules.same_words.groups) {
    const words = group.map((w) => bare(normalize(w)));
    for (const w of words) same.set(w, words[0]);
  }
  const amountText = (v) => (Number.isInteger(v) ? BigInt(v).toString() : String(v));
  const canonical = cached((text) => {
    let tokens = splitSuffixes(text.split(" ").filter(Boolean));
    const out = [];
    let i = 0;
    while (i < tokens.length) {
      const compared = comparativeAt(tokens, i);
      if (compared) { out.push(compared[0]); tokens = compared[1]; i = compared[2]; continue; }
      const [code, size] = currencyAt(tokens, i);
      if (code) {
        const [value, used] = numberRun(tokens, i + size);
        if (used) {
          out.push(amountText(value), code);
          i += size + used;
          const [again, more] = currencyAt(tokens, i);
          if (again === code) i += more;
        } else {
          out.push(code);
          i += size;
        }
        continue;
      }
      const [value, used] = numberRun(tokens, i);
      if (used) { out.push(amountText(value)); i += used; continue; }
      out.push(same.has(tokens[i]) ? same.get(tokens[i]) : tokens[i]);
      i += 1;
    }
    return out.join(" ");
  });
  function splitSuffixes(tokens) {  // "7bn" -> 7 and billion; "$200m" only with a currency
    const out = [];
    tokens.forEach((token, i) => {
      const found = token.match(suffixed);
      if (found && Object.hasOwn(numbers.suffixes, found[2])) {
        const near = (out.length && currencyAt(out, out.length - 1)[0]) || currencyAt(tokens, i + 1)[0];
        if (!suffixesWithCurrency.has(found[2]) || near) {
          out.push(found[1], amountText(numbers.suffixes[found[2]]) + "#");
          return;
        }
      }
      out.push(token);
    });
    return out;
  }
  function currencyAt(tokens, i) {
    for (const [phrase, code] of currencies) {
      if (sameWords(tokens.slice(i, i + phrase.length), phrase)) return [code, phrase.length];
    }
    return ["", 0];
  }
  function comparativeAt(tokens, i) {  // [sign, tokens, where its amount starts] or null
    for (const [phrase, sign] of comparatives) {
      const rest = after(tokens, i, phrase);
      if (rest === null) continue;
      const split = [...tokens.slice(0, i), ...phrase, ...rest];
      const at = i + phrase.length;
      if (numberRun(split, at + currencyAt(split, at)[1])[1]) return [sign, split, at];
    }
    return null;
  }
  function item(tokens, j) {  // [kind, value, width, glued] of the number item at tokens[j]
    const token = tokens[j];
    if (wholeNumber.test(token)) return ["d", Number(token), 1, false];
    if (token.endsWith("#") && wholeNumber.test(token.slice(0, -1))) return ["m", Number(token.slice(0, -1)), 1, false];
    const pair = j + 1 < tokens.length ? token + " " + tokens[j + 1] : "";
    if (numberWords.has(pair)) return ["w", numberWords.get(pair), 2, false];
    if (multipliers.has(token)) return ["m", multipliers.get(token), 1, false];
    if (numberWords.has(token)) return ["w", numberWords.get(token), 1, false];
    if (numbers.conjunctions.includes(token)) return ["c", 0, 1, false];
    if (numbers.one_before_multiplier.includes(token) && j + 1 < tokens.length && multipliers.has(tokens[j + 1])) {
      return ["w", 1, 1, false];
    }
    for (const conjunction of numbers.conjunctions) {
      const rest = token.slice(conjunction.length);
      if (token.startsWith(conjunction) && rest) {
        const joined = j + 1 < tokens.length ? rest + " " + tokens[j + 1] : "";
        if (numberWords.has(joined)) return ["w", numberWords.get(joined), 2, true];
        if (numberWords.has(rest)) return ["w", numberWords.get(rest), 1, true];
      }
    }
    return null;
  }
  const blocks = { u: ["d", "u", "teen"], teen: ["d", "u", "t", "teen"], t: ["d", "t", "teen"], h: ["d", "u", "t", "teen", "h"] };
  function numberRun(tokens, i) {  // [the number the tokens from i write, how many it takes]
    let total = 0;
    let group = 0;
    let parts = new Set();
    let largest = Infinity;
    let previous = "";
    let best = 0;
    let used = 0;
    let pending = 0;
    let j = i;
    while (j < tokens.length) {
      const found = item(tokens, j);
      if (!found) break;
      const [kind, value, width, glued] = found;
      j += width;
      if (kind === "c") {
        if (previous === "" || previous === "c") break;
        pending += width;
        previous = "c";
        continue;
      }
      if (glued && !previous) break;
      if (kind === "d") {
        if (parts.size) break;
        group = value;
        parts = new Set(["d"]);
      } else if (kind === "w") {
        const role = value < 10 ? "u" : value < 20 ? "teen" : value < 100 ? "t" : "h";
        if (blocks[role].some((p) => parts.has(p))) break;
        group = role === "h" ? value : group + value;
        parts.add(role);
      } else if (value < 1000) {  // hundreds
        if ([...parts].some((p) => p !== "u" && p !== "d") || (!parts.size && needANumber.has(tokens[j - 1]))) break;
        group = (group || 1) * value;
        parts = new Set(["h"]);
      } else if (parts.size) {
        if (value >= largest) break;
        total += group * value;
        group = 0;
        parts = new Set();
        largest = value;
      } else if (previous === "m" && total && value > largest) {
        total *= value;
        largest = total;
      } else if (!previous && !needANumber.has(tokens[j - 1])) {
        total = value;
        largest = value;
      } else {
        break;
      }
      previous = kind;
      used += pending + width;
      pending = 0;
      best = total + group;
    }
    return [best, used];
  }

  // Dates (rules.dates).
  const months = new Map();
  for (const [month, names] of Object.entries(rules.dates.months)) {
    for (const name of names) months.set(foldWords(name).join(" "), Number(month));
  }
  const longest = Math.max(...Array.from(months.keys(), (n) => n.split(" ").length));
  const dayWords = new Map(Object.entries(rules.dates.day_words).map(([w, d]) => [foldWords(w).join(" "), d]));
  const longestDay = Math.max(...Array.from(dayWords.keys(), (n) => n.split(" ").length));
  const weekdays = rules.dates.weekdays.map(foldWords).sort((x, y) => y.length - x.length);
  function monthOf(text) {
    if (months.has(text)) return months.get(text);
    for (const prefix of rules.dates.month_prefixes) {
      if (text.startsWith(prefix) && months.has(text.slice(prefix.length))) {
        return months.get(text.slice(prefix.length));
      }
    }
    return 0;
  }
  function dayOrYear(word) {  // the digits of a day or year, without "th" or "ה"
    for (const suffix of rules.dates.ordinal_suffixes) {
      const rest = word.slice(0, -suffix.length);
      if (word.endsWith(suffix) && digitsRe.test(rest)) return rest;
    }
    for (const prefix of rules.dates.number_prefixes) {
      const rest = word.slice(prefix.length);
      if (word.startsWith(prefix) && digitsRe.test(rest)) return rest;
    }
    return digitsRe.test(word) ? word : null;
  }
  const dateKinds = cached((text) => {  // [kind, value, digits] of each part, or null: no date
    let words = text.split(" ").filter((w) => w && !fillers.has(w));
    for (const weekday of weekdays) {
      if (sameWords(words.slice(0, weekday.length), weekday) && words.length > weekday.length) {
        words = words.slice(weekday.length);
        break;
      }
    }
    const kinds = [];
    let i = 0;
    outer: while (i < words.length) {
      for (let size = Math.min(longest, words.length - i); size > 0; size--) {
        const month = monthOf(words.slice(i, i + size).join(" "));
        if (month) { kinds.push(["m", month, 0]); i += size; continue outer; }
      }
      for (let size = Math.min(longestDay, words.length - i); size > 0; size--) {
        const day = dayWords.get(words.slice(i, i + size).join(" "));
        if (day) { kinds.push(["d", day, 0]); i += size; continue outer; }
      }
      const n = dayOrYear(words[i]);
      if (n === null) return null;
      kinds.push(["n", Number(n), n.length]);
      i += 1;
    }
    return kinds.filter((k, k2) => !(k[0] === "m" && k2 > 0 && kinds[k2 - 1][0] === "m" &&
      kinds[k2 - 1][1] === k[1]));  // a month named in two calendars is one month
  });
  function readings(text, language, loose) {  // the dates text may name: {year, month, day, short}
    const kinds = dateKinds(text);
    if (!kinds || !kinds.length) return [];
    const shape = kinds.map((k) => (k[0] === "d" ? "n" : k[0])).join("");
    const v = kinds.map((k) => k[1]);
    const size = kinds.map((k) => k[2]);
    const words = kinds.map((k) => k[0] === "d");
    const dayFirstOnly = rules.dates.day_first_only.includes(language);
    const date = (year, month, day, short) => ({ year, month, day, short });
    const year = (i) => {
      if (words[i]) return [];
      if (size[i] >= 3) return [[v[i], false]];
      return loose && size[i] === 2 ? [[v[i], true]] : [];
    };
    let found = [];
    if (shape === "nmn") found = year(2).map(([y, s]) => date(y, v[1], v[0], s));
    else if (shape === "mnn") found = year(2).map(([y, s]) => date(y, v[0], v[1], s));
    else if (shape === "mn" && !words[1]) {
      if (size[1] >= 3 || (loose && size[1] === 2 && v[1] > 31)) found = year(1).map(([y, s]) => date(y, v[0], 0, s));
      else found = [date(null, v[0], v[1], false)];
    } else if (shape === "nm" || shape === "mn") {
      found = shape === "nm" ? [date(null, v[1], v[0], false)] : [date(null, v[0], v[1], false)];
    } else if (shape === "nnn" && !words.some(Boolean)) {
      if (size[0] >= 3) found = [date(v[0], v[1], v[2], false)];
      else {
        found = year(2).map(([y, s]) => date(y, v[1], v[0], s));
        if (!dayFirstOnly || v[1] > 12) found.push(...year(2).map(([y, s]) => date(y, v[0], v[1], s)));
      }
    } else if (shape === "nn" && !words.some(Boolean)) {
      if (size[0] >= 3) found = [date(v[0], v[1], 0, false)];
      else {
        found = year(1).map(([y, s]) => date(y, v[0], 0, s));
        if (loose && dayFirstOnly && size[0] <= 2 && size[1] <= 2) found.push(date(null, v[1], v[0], false));
      }
    }
    const whole = (d) => (d.year === null ? d.day > 0 :
      (d.short || d.year >= 100) && (d.day > 0 || shape === "mn" || shape === "nn"));
    const out = new Map();
    for (const d of found) {
      if (d.month >= 1 && d.month <= 12 && d.day >= 0 && d.day <= 31 && whole(d)) {
        out.set([d.year, d.month, d.day, d.short].join("-"), d);
      }
    }
    return [...out.values()];
  }
  const sameYear = (d, year) => d.year === (d.short ? year % 100 : year);
  function sameDate(typed, want, language) {  // the date want asks for, in typed
    const kinds = dateKinds(want);
    if (!kinds || !kinds.length) return false;
    if (kinds.length === 1) {
      const [kind, value, digits] = kinds[0];
      if (kind === "m") {  // a month alone
        const mine = dateKinds(typed);
        return mine !== null && mine.length === 1 && mine[0][0] === "m" && mine[0][1] === value;
      }
      if (kind !== "n" || digits !== 4) return false;
      return readings(typed, language, true).some((d) => d.year !== null && sameYear(d, value));
    }
    const wanted = readings(want, language, false);
    if (wanted.length !== 1) return false;
    const goal = wanted[0];
    return readings(typed, language, true).some((d) => {
      if (d.month !== goal.month || (goal.day && d.day !== goal.day)) return false;
      if (goal.year === null) return d.year === null;  // with a year, the year is another answer
      return d.year !== null && sameYear(d, goal.year);
    });
  }
  window.quizgenMatch = { normalize, answersMatch };  // for the tests

  function keyOf(box) {
    let key = keys.get(box);
    if (!key) { key = JSON.parse(box.dataset.key); keys.set(box, key); }
    return key;
  }
  // The page may hold several rounds (form.dataset.round is the one shown): every action below
  // concerns the questions of the round shown.
  function boxes() {
    return form.querySelectorAll('[data-question-id][data-round="' + form.dataset.round + '"]');
  }

  // A round is shown a page at a time: pages of PAGE_SIZE questions, the questions in play (those
  // of the round shown, but for the ones a retry put away) spread evenly over them, so that a page
  // never holds a remainder of one or two (LEFTOVER): 38 questions are pages of 10, 10, 9 and 9,
  // 12 are one page, 13 are two of 7 and 6. A question in play on another page, and a section
  // with none on the page shown, carry data-off-page: not on screen (the stylesheet), printed.
  // A question out of play, and a section with none in play, are hidden. Without the page's pager
  // (a deck's own copy of an older selftest.html.j2) the round is one page.
  const PAGE_SIZE = 10;
  const LEFTOVER = 2;
  const pager = form.querySelector(".qg-pager");
  const pageStatus = document.getElementById("qg-page-status");
  let page = 0;  // the page shown, from 0
  let pages = 1;
  let placed = 0;  // the questions in play inserted so far, in document order
  function pageCount(n) {
    return pager ? Math.max(1, Math.ceil((n - LEFTOVER) / PAGE_SIZE)) : 1;
  }
  function pageStart(index, n) {  // the first question of page `index`, among the `n` in play
    const size = Math.floor(n / pages);
    return index * size + Math.min(index, n % pages);
  }
  function onPage(i) {
    return i >= pageStart(page, playing) && i < pageStart(page + 1, playing);
  }
  function paginate() {  // who is shown where, after any change to the questions in play
    pages = pageCount(playing);
    page = Math.min(page, pages - 1);
    placed = 0;
    const shown = new Set();
    const here = new Set();
    for (const box of form.querySelectorAll("[data-question-id]")) {
      const on = !box.hidden && onPage(placed);
      box.toggleAttribute("data-off-page", !box.hidden && !on);
      if (box.hidden) continue;
      placed += 1;
      shown.add(box.parentNode);
      if (on) here.add(box.parentNode);
    }
    for (const section of form.querySelectorAll(".qg-section")) {
      section.hidden = !shown.has(section);
      section.toggleAttribute("data-off-page", shown.has(section) && !here.has(section));
    }
    showPager();
  }
  function showPager() {
    if (!pager) return;
    pager.hidden = pages < 2;
    document.getElementById("qg-previous").disabled = page === 0;
    document.getElementById("qg-next").disabled = page === pages - 1;
    if (!pageStatus) return;
    pageStatus.hidden = pages < 2;
    const text = data.strings.page.replace("{page}", String(page + 1))
      .replace("{pages}", String(pages));
    if (pageStatus.textContent !== text) pageStatus.textContent = text;  // announced on change
  }
  // Shows page `index` (the questions it needs inserted first) and moves focus to the title of
  // its first question, its section's heading scrolled to the top of the screen.
  function showPage(index) {
    page = Math.max(0, Math.min(index, pages - 1));
    while (placed < pageStart(page + 1, playing) && insertNext()) { /* up to the page's end */ }
    paginate();
    const first = inPlay().find((box) => !box.hasAttribute("data-off-page"));
    if (!first) return;
    first.parentNode.scrollIntoView({ block: "start" });
    const legend = first.querySelector("legend");
    legend.tabIndex = -1;
    legend.focus({ preventScroll: true });
  }

  // After checking, a mark on an option, a row or a blank: ✓ or ✗ and words, never colour alone.
  // The words are shown (`words`: "Your answer", "Correct answer") or, by default, read by
  // screen readers only ("Correct", "Incorrect"). `place`: where, as insertAdjacentElement's.
  function mark(where, ok, words, place) {
    const span = document.createElement("span");
    span.className = "qg-mark";
    span.dataset.mark = ok ? "right" : "wrong";
    const sign = document.createElement("span");
    sign.setAttribute("aria-hidden", "true");
    sign.textContent = ok ? "\u2713" : "\u2717";
    const text = document.createElement("span");
    text.textContent = words || (ok ? data.strings.correct : data.strings.incorrect);
    if (!words) text.className = "qg-sr";
    span.append(sign, text);
    where.insertAdjacentElement(place || "beforeend", span);
  }
  function unmark(box) {
    for (const old of box.querySelectorAll(".qg-mark")) old.remove();
  }

  // How each kind of question is answered and graded: quizgen adds here the grader of every
  // question type's kind (its module's GRADING and GRADER), each setting graders[kind] to
  // { answer(box), rows(key, given), restore(box, key, value) } and, where it marks its options
  // or rows after checking, mark(box, key, given, rows). rows() is right or wrong for each part
  // of the answer: one for a choice or a typed answer, one per pair, place or blank for the
  // others. A question earns the share of its rows that are right (docs/html.md).
  const graders = {};
/* graders */
  function answerOf(box) { return graders[keyOf(box).type].answer(box); }

  // Answers are kept per question id in localStorage, also for questions not inserted yet.
  let saved = {};
  try { saved = JSON.parse(localStorage.getItem(storeKey) || "{}") || {}; } catch (e) { saved = {}; }
  if (typeof saved !== "object" || Array.isArray(saved)) saved = {};
  function persist() {
    try { localStorage.setItem(storeKey, JSON.stringify(saved)); } catch (e) { /* private mode */ }
  }
  function save(box) {
    saved[box.dataset.questionId] = answerOf(box);
    persist();
  }
  function saveAll() {
    for (const box of boxes()) saved[box.dataset.questionId] = answerOf(box);
    persist();
  }
  function restore(box) {
    const value = saved[box.dataset.questionId];
    const q = keyOf(box);
    if (value === null || value === undefined) return;
    graders[q.type].restore(box, q, value);
  }

  // The progress count in the bar ("12 of 40 answered", a polite live region): the questions in
  // play with an answer (a choice, some text, every pair or blank chosen, an event moved).
  const progress = document.getElementById("qg-progress");
  const answered = new Set();
  let playing = data.sizes ? data.sizes[0] : 0;  // the questions in play, once all are inserted
  function hasAnswer(box) {
    const given = answerOf(box);
    if (given === null || given === undefined) return false;
    if (typeof given === "string") return given.trim() !== "";
    return Array.isArray(given) ? given.every((v) => v !== null) : true;
  }
  function track(box) {
    if (!box.hidden && hasAnswer(box)) answered.add(box);
    else answered.delete(box);
  }
  function showProgress() {
    if (!progress) return;
    const text = data.strings.answered.replace("{n}", String(answered.size))
      .replace("{total}", String(playing));
    if (progress.textContent !== text) progress.textContent = text;  // announced only on change
  }
  function recount() {  // the questions in play changed: retry, shuffle, a new round
    answered.clear();
    const shown = inPlay();
    for (const box of shown) track(box);
    playing = shown.length;
    showProgress();
  }

  // A chunk of questions as data (quizgen/render/skeleton.py): the skeletons ("shapes"), pieces,
  // blocks and shared texts it is the first to use, kept for the chunks after it, and each
  // question as [shape, values...] (or its markup, where quizgen found no skeleton that gives
  // it exactly). A skeleton is a list of literal markup and operations: a value's index times 8
  // plus its kind: 0 a text, escaped here as quizgen escapes it (a number: a shared text); 1 a
  // direction (0 ltr, 1 rtl); 2 a block of quizgen's markup, by index; 3 the question's number;
  // 4 a text inside JSON, escaped as quizgen's tojson escapes it. A chunk that is not data is
  // quizgen's markup (a deck's own questions.html.j2).
  const shapes = [];
  const pieces = [];
  const markupBlocks = [];
  const texts = [];
  const entities = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" };
  const escapeText = (text) => text.replace(/[&<>"']/g, (c) => entities[c]);
  const jsonText = (text) => JSON.stringify(text).slice(1, -1)
    .replace(/[\u007f-\uffff<>&']/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
  function fill(parts, record, number) {
    let out = "";
    for (const part of parts) {
      if (typeof part === "string") { out += part; continue; }
      const value = record[(part >> 3) + 1];
      switch (part & 7) {
        case 0: out += escapeText(typeof value === "number" ? texts[value] : value); break;
        case 1: out += value ? "rtl" : "ltr"; break;
        case 2: out += markupBlocks[value]; break;
        case 3: out += String(number); break;
        default: out += jsonText(typeof value === "number" ? texts[value] : value);
      }
    }
    return out;
  }
  function chunkMarkup(chunk) {
    const text = chunk.textContent;
    if (text.charAt(0) !== "{") return text;
    const part = JSON.parse(text);
    for (const shape of part.shapes) shapes.push(shape);
    for (const piece of part.pieces) pieces.push(piece);
    for (const cut of part.blocks) markupBlocks.push(cut.map((i) => pieces[i]).join(""));
    for (const shared of part.texts) texts.push(shared);
    let out = "";
    part.q.forEach((record, i) => {
      out += typeof record === "string" ? record : fill(shapes[record[0]], record, part.first + i);
    });
    return out;
  }

  // Inserting the chunks of questions, in document order.
  function insertNext() {
    const chunk = document.querySelector("script.qg-chunk");
    if (!chunk) return false;
    const section = form.querySelector('[data-section="' + CSS.escape(chunk.dataset.section) + '"]');
    const holder = document.createElement("template");
    holder.innerHTML = chunkMarkup(chunk);  // quizgen's own escaped markup, or made from its data
    const added = Array.from(holder.content.querySelectorAll("[data-question-id]"));
    for (const box of added) {  // in play, placed after those inserted before (see paginate)
      box.hidden = box.dataset.round !== form.dataset.round;
      if (box.hidden) continue;
      const on = onPage(placed);
      placed += 1;
      box.toggleAttribute("data-off-page", !on);
      if (section.hidden) { section.hidden = false; section.setAttribute("data-off-page", ""); }
      if (on) section.removeAttribute("data-off-page");
    }
    section.appendChild(holder.content);
    chunk.remove();
    for (const box of added) { restore(box); track(box); }
    showProgress();
    return true;
  }
  function insertAll() {
    while (insertNext()) { /* every remaining chunk */ }
    document.documentElement.dataset.complete = "true";
  }
  // The rest goes in while the browser is idle, so typing and clicking always come first.
  const later = window.requestIdleCallback
    ? (step) => window.requestIdleCallback(step, { timeout: 500 })
    : (step) => setTimeout(step, 0);
  function pump() {
    if (insertNext()) later(pump);
    else document.documentElement.dataset.complete = "true";
  }

  function inPlay() {
    return Array.from(boxes()).filter((b) => !b.hidden);
  }
  // A question left as it came (no choice, no text, no pair or blank chosen, no event moved) is
  // not answered: it earns nothing and says so ("Not answered"), rather than "Incorrect". One
  // answered in part is graded, its rows left untouched wrong.
  function untouched(given) {
    if (given === null || given === undefined) return true;
    if (typeof given === "string") return given.trim() === "";
    return Array.isArray(given) && given.every((v) => v === null);
  }
  function check() {
    insertAll();
    let points = 0;
    let allRight = 0;
    const shown = inPlay();
    for (const box of shown) {
      const q = keyOf(box);
      const given = answerOf(box);
      const rows = graders[q.type].rows(q, given);
      const blank = untouched(given);
      const right = blank ? 0 : rows.filter(Boolean).length;
      points += right / rows.length;
      allRight += right === rows.length ? 1 : 0;
      box.dataset.result = blank ? "unanswered"
        : right === rows.length ? "right" : right > 0 ? "partial" : "wrong";
      unmark(box);
      if (graders[q.type].mark) graders[q.type].mark(box, q, given, rows);
      let verdict = blank ? data.strings.not_answered
        : right === rows.length ? data.strings.correct
          : right > 0 ? data.strings.partly : data.strings.incorrect;
      const count = box.querySelector("[data-count]");  // "4 of 6 pairs"
      if (count && !blank) {
        verdict += " \u00b7 " + count.dataset.count.replace("{right}", String(right))
          .replace("{total}", String(rows.length));
      }
      box.querySelector(".qg-verdict").textContent = verdict;
      box.querySelector(".qg-feedback").hidden = false;
    }
    // The points are summed (4 of 6 pairs adds 4/6), then shown to a tenth.
    const total = String(Math.round(points * 10) / 10) + "/" + shown.length;
    score.dataset.score = total;
    score.textContent = data.strings.score + ": " + total;
    score.hidden = false;
    document.getElementById("qg-retry").disabled = allRight === shown.length;
    score.focus();
  }
  function clearResults() {
    for (const box of boxes()) {
      delete box.dataset.result;
      unmark(box);
      box.querySelector(".qg-feedback").hidden = true;
    }
    score.hidden = true;
    delete score.dataset.score;
  }
  function reset(box) {
    for (const input of box.querySelectorAll("input[type=text]")) input.value = "";
    for (const input of box.querySelectorAll("input[type=radio]")) input.checked = false;
    for (const select of box.querySelectorAll("select")) select.value = "";
    delete box.dataset.moved;
  }
  function shuffle(parent, selector) {
    const items = Array.from(parent.querySelectorAll(":scope > " + selector));
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    for (const item of items) parent.appendChild(item);
  }
  function renumber() {
    let n = 0;
    for (const box of boxes()) {
      if (box.hidden) continue;
      n += 1;
      box.querySelector(".qg-num").textContent = String(n);
      const label = box.querySelector("legend .qg-sr + .qg-sr");
      if (label) label.textContent = data.strings.question.replace("{n}", String(n));
    }
  }

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-move]");
    if (!button) return;
    const li = button.closest("[data-item]");
    const sibling = button.dataset.move === "up" ? li.previousElementSibling : li.nextElementSibling;
    if (!sibling) return;
    if (button.dataset.move === "up") li.parentNode.insertBefore(li, sibling);
    else li.parentNode.insertBefore(sibling, li);
    button.focus();
    const box = li.closest("[data-question-id]");
    box.dataset.moved = "true";
    // Announced: the event and its new place ("Treaty of Kabul: now 2 of 5").
    const status = box.querySelector(".qg-status");
    const items = Array.from(li.parentNode.children);
    const fields = { item: li.querySelector(".qg-item-text").textContent,
      n: String(items.indexOf(li) + 1), total: String(items.length) };
    status.textContent = (status.dataset.moved || "{item}")
      .replace(/\{(item|n|total)\}/g, (whole, name) => fields[name]);
    save(box);
    track(box);
    showProgress();
  });
  function changed(event) {
    const box = event.target.closest("[data-question-id]");
    if (!box) return;
    save(box);
    track(box);
    showProgress();
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", (event) => { event.preventDefault(); check(); });
  // Enter in a text box would submit the form, grading every question, half of them untouched:
  // it confirms that answer and moves to the next field of the questions shown, on this page (at
  // its last field, it stays). The check button grades.
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.isComposing && event.target.matches("input[type=text]")) {
      event.preventDefault();
      save(event.target.closest("[data-question-id]"));
      const shown = "[data-question-id]:not([hidden]):not([data-off-page])";
      const fields = Array.from(form.querySelectorAll(shown + " input, " + shown + " select"));
      const next = fields[fields.indexOf(event.target) + 1];
      if (next) next.focus();
    }
  });
  document.getElementById("qg-retry").addEventListener("click", () => {
    insertAll();
    for (const box of boxes()) {
      if (box.dataset.result === "right") box.hidden = true;
      else if (box.dataset.result) reset(box);  // wrong or partly right
    }
    clearResults();
    renumber();
    recount();
    page = 0;
    paginate();
    saveAll();
    const first = inPlay()[0];
    if (first) first.querySelector("input, select, button").focus();
  });
  document.getElementById("qg-shuffle").addEventListener("click", () => {
    insertAll();
    for (const box of boxes()) {
      box.hidden = false;
      reset(box);
      for (const list of box.querySelectorAll(".qg-choices, .qg-order")) {
        shuffle(list, list.classList.contains("qg-order") ? "li" : "label");
      }
    }
    for (const section of form.querySelectorAll(".qg-section")) shuffle(section, "fieldset");
    clearResults();
    renumber();
    recount();
    page = 0;
    paginate();
    saveAll();
  });
  const roundButton = document.getElementById("qg-round");
  if (roundButton) {
    roundButton.addEventListener("click", () => {
      insertAll();
      for (const box of boxes()) reset(box);
      clearResults();
      saveAll();
      for (const box of boxes()) box.hidden = true;
      const next = (Number(form.dataset.round) + 1) % data.rounds;
      form.dataset.round = String(next);
      for (const box of boxes()) box.hidden = false;
      renumber();
      recount();
      page = 0;
      paginate();
      document.getElementById("qg-retry").disabled = true;
      document.getElementById("qg-round-status").textContent = data.round_label
        .replace("{n}", String(next + 1)).replace("{total}", String(data.rounds));
      const first = inPlay()[0];
      if (first) first.querySelector("input, select, button").focus();
    });
  }
  if (pager) {
    document.getElementById("qg-previous").addEventListener("click", () => showPage(page - 1));
    document.getElementById("qg-next").addEventListener("click", () => showPage(page + 1));
  }
  paginate();  // no question inserted yet: every section hidden, the pager set for the round
  insertNext();
  performance.mark("qg-ready");
  document.documentElement.dataset.ready = "true";
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", pump);
  else pump();
})();
