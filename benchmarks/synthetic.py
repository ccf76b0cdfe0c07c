"""A synthetic deck of N facts for the benchmarks: valid content in English, Arabic and Hebrew.

The mix follows the bundled deck: about two fifths term answers, then years, numbers and sums of
money, people, countries, organizations, dates and places; four in five facts have a cue, three
of the name, term and date answers have distractors (years and figures get
generated ones), three in five a note, one in four a question, one in five accepted
answers, one in fourteen two citations. Every citation's quote is the fact in its source's
language, and the generator writes the source documents too, so that ``check --sources-dir``
verifies every quote as it does for real content.

    python benchmarks/synthetic.py 1000 /tmp/deck-1000
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

LANGS = ("en", "ar", "he")

PLACES = [
    ("Kabul", "كابل", "קאבול"), ("Moscow", "موسكو", "מוסקבה"), ("Herat", "هرات", "הראת"),
    ("Kandahar", "قندهار", "קנדהאר"), ("Tashkent", "طشقند", "טשקנט"),
    ("Dushanbe", "دوشنبه", "דושנבה"), ("Almaty", "ألماتي", "אלמטי"),
    ("Samarkand", "سمرقند", "סמרקנד"), ("Bukhara", "بخارى", "בוכרה"), ("Kazan", "قازان", "קאזאן"),
    ("Tehran", "طهران", "טהרן"), ("Islamabad", "إسلام آباد", "איסלאמאבאד"),
    ("Cairo", "القاهرة", "קהיר"), ("Baghdad", "بغداد", "בגדד"), ("Damascus", "دمشق", "דמשק"),
    ("Ankara", "أنقرة", "אנקרה"), ("Baku", "باكو", "באקו"), ("Tbilisi", "تبليسي", "טביליסי"),
    ("Yerevan", "يريفان", "ירוואן"), ("Bishkek", "بيشكك", "בישקק"), ("Delhi", "دلهي", "דלהי"),
    ("Riyadh", "الرياض", "ריאד"), ("Doha", "الدوحة", "דוחה"), ("Amman", "عمّان", "עמאן"),
    ("Beirut", "بيروت", "ביירות"), ("Istanbul", "إسطنبول", "איסטנבול"),
]
FIRST = [("Ahmad", "أحمد", "אחמד"), ("Omar", "عمر", "עומר"), ("Ivan", "إيفان", "איוואן"),
         ("Sergey", "سيرغي", "סרגיי"), ("Nadia", "نادية", "נדיה"), ("Leila", "ليلى", "לילה"),
         ("Yusuf", "يوسف", "יוסף"), ("Anna", "آنا", "אנה"), ("Karim", "كريم", "כרים"),
         ("Olga", "أولغا", "אולגה"), ("Hassan", "حسن", "חסן"), ("Dmitry", "دميتري", "דמיטרי")]
LAST = [("Karimov", "كريموف", "קרימוב"), ("Petrov", "بتروف", "פטרוב"),
        ("Rahimi", "رحيمي", "רחימי"), ("Sokolov", "سوكولوف", "סוקולוב"),
        ("Haidari", "حيدري", "היידרי"), ("Volkov", "فولكوف", "וולקוב"),
        ("Popal", "بوبل", "פופל"), ("Orlov", "أورلوف", "אורלוב"), ("Sadat", "سادات", "סאדאת"),
        ("Lebedev", "ليبيديف", "לבדב")]
PEOPLE = [tuple(f"{f} {s}" for f, s in zip(first, last, strict=True))
          for first in FIRST for last in LAST]
ORGS = [("the United Nations", "الأمم المتحدة", "האומות המאוחדות"),
        ("the World Bank", "البنك الدولي", "הבנק העולמי"),
        ("the Red Crescent", "الهلال الأحمر", "הסהר האדום"),
        ("the World Health Organization", "منظمة الصحة العالمية", "ארגון הבריאות העולמי"),
        ("the Arab League", "جامعة الدول العربية", "הליגה הערבית"),
        ("the European Union", "الاتحاد الأوروبي", "האיחוד האירופי"),
        ("the African Union", "الاتحاد الأفريقي", "האיחוד האפריקאי"),
        ("the Asian Development Bank", "بنك التنمية الآسيوي", "בנק הפיתוח האסייתי"),
        ("the International Monetary Fund", "صندوق النقد الدولي", "קרן המטבע הבינלאומית"),
        ("Interpol", "الإنتربول", "האינטרפול")]
COUNTRIES = [("Afghanistan", "أفغانستان", "אפגניסטן"), ("Russia", "روسيا", "רוסיה"),
             ("Iran", "إيران", "איראן"), ("Pakistan", "باكستان", "פקיסטן"),
             ("China", "الصين", "סין"), ("India", "الهند", "הודו"), ("Turkey", "تركيا", "טורקיה"),
             ("Egypt", "مصر", "מצרים"), ("Uzbekistan", "أوزبكستان", "אוזבקיסטן"),
             ("Kazakhstan", "كازاخستان", "קזחסטן"), ("Qatar", "قطر", "קטאר"),
             ("Germany", "ألمانيا", "גרמניה"), ("France", "فرنسا", "צרפת"),
             ("Japan", "اليابان", "יפן")]
TERMS = [("wheat", "القمح", "חיטה"), ("cotton", "القطن", "כותנה"), ("copper", "النحاس", "נחושת"),
         ("lithium", "الليثيوم", "ליתיום"), ("natural gas", "الغاز الطبيعي", "גז טבעי"),
         ("saffron", "الزعفران", "זעפרן"), ("carpets", "السجاد", "שטיחים"),
         ("dried fruit", "الفواكه المجففة", "פירות מיובשים"), ("coal", "الفحم", "פחם"),
         ("iron ore", "خام الحديد", "עפרת ברזל"), ("gold", "الذهب", "זהב"),
         ("marble", "الرخام", "שיש"), ("timber", "الأخشاب", "עצים"), ("tea", "الشاي", "תה"),
         ("sugar", "السكر", "סוכר"), ("rice", "الأرز", "אורז"), ("silk", "الحرير", "משי"),
         ("wool", "الصوف", "צמר"), ("pistachios", "الفستق", "פיסטוקים"),
         ("electricity", "الكهرباء", "חשמל")]
MONTHS = [("January", "يناير", "ינואר"), ("February", "فبراير", "פברואר"),
          ("March", "مارس", "מרץ"), ("April", "أبريل", "אפריל"), ("May", "مايو", "מאי"),
          ("June", "يونيو", "יוני"), ("July", "يوليو", "יולי"), ("August", "أغسطس", "אוגוסט"),
          ("September", "سبتمبر", "ספטמבר"), ("October", "أكتوبر", "אוקטובר"),
          ("November", "نوفمبر", "נובמבר"), ("December", "ديسمبر", "דצמבר")]

# answer type: (weight, kind, text, cue, question); {i} keeps every fact's text its own.
SHAPES = {
    "term": (41, "statement",
             ("Record {i}: the main export of {place} in {year} was [[{a}]].",
              "السجل {i}: كان [[{a}]] أهم صادرات {place} عام {year}.",
              "רשומה {i}: מוצר הייצוא העיקרי של {place} בשנת {year} היה [[{a}]]."),
             ("The main export of {place} in {year} (record {i})",
              "أهم صادرات {place} عام {year} (السجل {i})",
              "מוצר הייצוא העיקרי של {place} בשנת {year} (רשומה {i})"),
             ("What was the main export of {place} in {year}, according to record {i}?",
              "ما أهم صادرات {place} عام {year} بحسب السجل {i}؟",
              "מה היה מוצר הייצוא העיקרי של {place} בשנת {year} לפי רשומה {i}?")),
    "year": (9, "event",
             ("Record {i}: in [[{a}]], {org} opened an office in {place}.",
              "السجل {i}: في عام [[{a}]] افتتحت {org} مكتبًا في {place}.",
              "רשומה {i}: בשנת [[{a}]] פתח {org} משרד ב{place}."),
             ("{Org} opens an office in {place} (record {i})",
              "افتتاح مكتب {org} في {place} (السجل {i})",
              "פתיחת משרד של {org} ב{place} (רשומה {i})"),
             None),
    "number": (9, "quantity",
               ("Record {i}: the population of the district of {place} is [[{a}]] people.",
                "السجل {i}: يبلغ عدد سكان منطقة {place} [[{a}]] نسمة.",
                "רשומה {i}: אוכלוסיית מחוז {place} מונה [[{a}]] נפש."),
               ("The population of the district of {place} (record {i})",
                "عدد سكان منطقة {place} (السجل {i})",
                "אוכלוסיית מחוז {place} (רשומה {i})"),
               None),
    "money": (8, "quantity",
              ("Record {i}: the yearly budget of the {place} province is [[{a}]] million US "
               "dollars.",
               "السجل {i}: تبلغ الميزانية السنوية لولاية {place} [[{a}]] مليون دولار أمريكي.",
               "רשומה {i}: התקציב השנתי של מחוז {place} הוא [[{a}]] מיליון דולר."),
              ("The yearly budget of the {place} province (record {i})",
               "الميزانية السنوية لولاية {place} (السجل {i})",
               "התקציב השנתי של מחוז {place} (רשומה {i})"),
              None),
    "person": (8, "person",
               ("Record {i}: in {year}, the governor of {place} was [[{a}]].",
                "السجل {i}: في عام {year} كان حاكم {place} هو [[{a}]].",
                "רשומה {i}: בשנת {year} היה מושל {place} [[{a}]]."),
               ("The governor of {place} in {year} (record {i})",
                "حاكم {place} عام {year} (السجل {i})",
                "מושל {place} בשנת {year} (רשומה {i})"),
               ("Who was the governor of {place} in {year}, according to record {i}?",
                "من كان حاكم {place} عام {year} بحسب السجل {i}؟",
                "מי היה מושל {place} בשנת {year} לפי רשומה {i}?")),
    "country": (8, "statement",
                ("Record {i}: the largest trading partner of {place} in {year} was [[{a}]].",
                 "السجل {i}: كانت [[{a}]] أكبر شريك تجاري لـ{place} عام {year}.",
                 "רשומה {i}: שותפת הסחר הגדולה של {place} בשנת {year} הייתה [[{a}]]."),
                ("The largest trading partner of {place} in {year} (record {i})",
                 "أكبر شريك تجاري لـ{place} عام {year} (السجل {i})",
                 "שותפת הסחר הגדולה של {place} בשנת {year} (רשומה {i})"),
                None),
    "organization": (6, "statement",
                     ("Record {i}: the aid programme in {place} in {year} was run by [[{a}]].",
                      "السجل {i}: أدارت [[{a}]] برنامج المساعدات في {place} عام {year}.",
                      "רשומה {i}: את תוכנית הסיוע ב{place} בשנת {year} ניהל [[{a}]]."),
                     ("The aid programme in {place} in {year} (record {i})",
                      "برنامج المساعدات في {place} عام {year} (السجل {i})",
                      "תוכנית הסיוע ב{place} בשנת {year} (רשומה {i})"),
                     None),
    "date": (5, "event",
             ("Record {i}: on [[{a}]], a trade agreement was signed in {place}.",
              "السجل {i}: في [[{a}]] وُقّعت اتفاقية تجارية في {place}.",
              "רשומה {i}: ב-[[{a}]] נחתם הסכם סחר ב{place}."),
             ("A trade agreement is signed in {place} (record {i})",
              "توقيع اتفاقية تجارية في {place} (السجل {i})",
              "חתימת הסכם סחר ב{place} (רשומה {i})"),
             None),
    "place": (3, "event",
              ("Record {i}: the regional conference of {org} in {year} was held in [[{a}]].",
               "السجل {i}: عُقد المؤتمر الإقليمي لـ{org} عام {year} في [[{a}]].",
               "רשומה {i}: הוועידה האזורית של {org} בשנת {year} נערכה ב[[{a}]]."),
              ("The regional conference of {org} in {year} (record {i})",
               "المؤتمر الإقليمي لـ{org} عام {year} (السجل {i})",
               "הוועידה האזורית של {org} בשנת {year} (רשומה {i})"),
              None),
}
POOLS = {"term": TERMS, "person": PEOPLE, "country": COUNTRIES, "organization": ORGS,
         "place": PLACES}
NOTE = ("A synthetic fact, generated for the benchmarks.",
        "حقيقة اصطناعية أُنشئت لقياس الأداء.",
        "עובדה סינתטית שנוצרה לצורך מדידת ביצועים.")
TAGS = [f"tag-{k}" for k in range(30)]
FACTS_PER_FILE = 500
FACTS_PER_SOURCE = 30
QUOTES_PER_PARAGRAPH = 3


def _date(rng: random.Random) -> tuple[tuple[str, str, str], str, str]:
    year, month, day = rng.randint(1920, 2024), rng.randint(1, 12), rng.randint(1, 28)
    names = MONTHS[month - 1]
    shown = (f"{day} {names[0]} {year}", f"{day} {names[1]} {year}", f"{day} ב{names[2]} {year}")
    return shown, f"{year}-{month:02d}-{day:02d}", str(year)


def _fact(i: int, rng: random.Random, topics: list[str]) -> tuple[dict, str]:
    """One fact and the answer type it has."""
    kinds = list(SHAPES)
    answer_type = rng.choices(kinds, weights=[SHAPES[k][0] for k in kinds])[0]
    _, kind, texts, cues, questions = SHAPES[answer_type]
    place = rng.choice(PLACES)
    org = rng.choice(ORGS)
    year = rng.randint(1920, 2024)
    date = None
    quantity = None
    distractors = None
    accept = None
    if answer_type in POOLS:
        pool = POOLS[answer_type]
        answer = rng.choice([p for p in pool if p != place] if answer_type == "place" else pool)
        # Wrong names share no word with the answer: two that each kept another of its words
        # would leave the answer as the one with all of them (quality rule
        # choices-near-duplicate).
        apart = [p for p in pool if p != answer and not set(p[0].split()) & set(answer[0].split())]
        wrong = rng.sample(apart if len(apart) >= 3 else [p for p in pool if p != answer], 3)
        distractors = {lang: [w[k] for w in wrong] for k, lang in enumerate(LANGS)}
        if answer_type == "person" and rng.random() < 0.6:
            accept = {lang: [answer[k].split(" ", 1)[1]] for k, lang in enumerate(LANGS)}
        if kind == "event":
            date = str(year)
    elif answer_type == "year":
        answer = (str(year),) * 3
        date = str(year)
    elif answer_type == "date":
        answer, date, _ = _date(rng)
        wrong: list[tuple[str, str, str]] = []
        while len(wrong) < 3:
            other = _date(rng)[0]
            if other != answer and other not in wrong:
                wrong.append(other)
        distractors = {lang: [w[k] for w in wrong] for k, lang in enumerate(LANGS)}
    else:
        value = (rng.randint(10_000, 9_000_000) if answer_type == "number"
                 else rng.randint(50, 90_000))
        answer = (f"{value:,}",) * 3
        measure, unit = (("population", "people") if answer_type == "number"
                         else ("budget", "usd-million"))
        quantity = {"value": value, "unit": unit, "measure": measure, "subject": f"region-{i}"}
        if rng.random() < 0.3:
            accept = {lang: [str(value)] for lang in LANGS}

    def fill(parts: tuple[str, str, str]) -> dict[str, str]:
        out = {}
        for k, lang in enumerate(LANGS):
            text = parts[k].format(i=i, a=answer[k], place=place[k], org=org[k], year=year,
                                   Org=org[k][:1].upper() + org[k][1:])
            out[lang] = text
        return out

    fact: dict = {"id": f"fact-{i}", "topic": rng.choice(topics),
                  "tags": sorted(rng.sample(TAGS, rng.randint(1, 3))),
                  "kind": kind, "answer_type": answer_type}
    if date:
        fact["date"] = date
    fact["text"] = fill(texts)
    if rng.random() < 0.8:
        fact["cue"] = fill(cues)
    if distractors:
        fact["distractors"] = distractors
    if accept:
        fact["accept"] = accept
    if questions and rng.random() < 0.5:
        fact["question"] = fill(questions)
    if quantity:
        fact["quantity"] = quantity
    if rng.random() < 0.6:
        fact["note"] = dict(zip(LANGS, NOTE, strict=True))
    return fact, answer_type


def _plain(text: str) -> str:
    return text.replace("[[", "").replace("]]", "")


def generate(n: int, dest: Path, *, seed: int = 0) -> Path:
    """Write a deck of ``n`` facts into ``dest`` (made empty first) and its documents into
    ``dest/documents``; return the deck folder."""
    rng = random.Random(seed)
    deck_dir = dest / f"synthetic-{n}"
    docs = dest / "documents"
    (deck_dir / "facts").mkdir(parents=True, exist_ok=True)
    docs.mkdir(parents=True, exist_ok=True)
    topic_count = max(3, min(60, n // 100))
    topics = [f"topic-{k}" for k in range(1, topic_count + 1)]
    source_count = max(3, n // FACTS_PER_SOURCE)
    sources = [{"id": f"source-{k}", "language": ("he", "ar")[k % 2], "paragraphs": []}
               for k in range(1, source_count + 1)]
    facts = []
    for i in range(1, n + 1):
        fact, _ = _fact(i, rng, topics)
        cited = [sources[(i - 1) % source_count]]
        if rng.random() < 1 / 14 and source_count > 1:
            cited.append(sources[i % source_count])
        fact["sources"] = []
        for source in cited:
            paragraphs = source["paragraphs"]
            if not paragraphs or len(paragraphs[-1]) == QUOTES_PER_PARAGRAPH:
                paragraphs.append([])
            quote = _plain(fact["text"][source["language"]])
            paragraphs[-1].append(quote)
            fact["sources"].append({"source": source["id"],
                                    "locator": f"paragraph {len(paragraphs)}", "quote": quote})
        facts.append(fact)
    deck = {
        "id": f"synthetic-{n}",
        "title": {"en": f"Synthetic deck ({n} facts)", "ar": f"مجموعة اصطناعية ({n} حقيقة)",
                  "he": f"חפיסה סינתטית ({n} עובדות)"},
        "description": {"en": "Generated for quizgen's benchmarks.",
                        "ar": "أُنشئت لقياس أداء quizgen.",
                        "he": "נוצרה לצורך מדידת הביצועים של quizgen."},
        "languages": list(LANGS),
        "topics": {t: {"en": f"Topic {t[6:]}", "ar": f"الموضوع {t[6:]}",
                       "he": f"נושא {t[6:]}"} for t in topics},
    }
    _write(deck_dir / "deck.yaml", deck)
    entries = []
    for source in sources:
        name = f"{source['id']}.txt"
        lines = [" ".join(p) for p in source["paragraphs"]] or ["(empty)"]
        (docs / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        title = ("מסמך סינתטי" if source["language"] == "he" else "وثيقة اصطناعية")
        entries.append({"id": source["id"], "title": f"{title} {source['id'][7:]}",
                        "language": source["language"], "kind": "report", "date": "2024",
                        "file": name, "body_lines": [1, len(lines)]})
    _write(deck_dir / "sources.yaml", entries)
    for start in range(0, n, FACTS_PER_FILE):
        _write(deck_dir / "facts" / f"part-{start // FACTS_PER_FILE + 1:03d}.yaml",
               facts[start:start + FACTS_PER_FILE])
    return deck_dir


def _write(path: Path, data: object) -> None:
    """YAML in the block style people write."""
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False,
                     width=1000)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("facts", type=int)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    deck = generate(args.facts, args.dest, seed=args.seed)
    print(f"wrote {deck} and {args.dest / 'documents'}")


if __name__ == "__main__":
    main()
