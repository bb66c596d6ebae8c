"""Write the reference model's training text, ``src/aetron_inference/data/corpus.txt``.

Everything in it is written by this script: a few passages of the project's own prose and
sentences built from templates and word lists (arithmetic, the calendar, an invented
gazetteer, short stories, questions and answers). Nothing is downloaded or copied, so the text
carries the package's own licence. The output is deterministic: running the script again
writes the same bytes.

    uv run python packages/aetron-inference/scripts/make_corpus.py
"""

from __future__ import annotations

import random
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "aetron_inference" / "data" / "corpus.txt"
TARGET_BYTES = 400_000

PROSE = [
    "A ledger is a promise written down. When a network of strangers keeps a ledger together, "
    "each of them must be able to check every line without trusting the others. The check has "
    "to be cheap, or nobody will do it, and it has to be exact, or nobody will agree.",
    "A language model reads a text one piece at a time and guesses what comes next. It does "
    "not know the answer; it keeps a list of chances for every possible next piece. When the "
    "text is plain and the pattern is clear, one guess gets almost all of the chance.",
    "The baker rises before the sun. She lights the oven, weighs the flour, and mixes the "
    "dough with water, salt and yeast. While the dough rests she sweeps the floor. By the time "
    "the first customer knocks, the loaves are cooling on the rack by the window.",
    "Rain came in from the west all afternoon. The gutters filled, the street turned into a "
    "shallow river, and the children on the corner floated paper boats down to the bridge. "
    "When the clouds broke at six, the whole town smelled of wet stone and cut grass.",
    "To make a good cup of tea, warm the pot first. Put in one spoon of leaves for each cup and "
    "one for the pot. Pour the water just as it boils, wait four minutes, and pour through a "
    "strainer. Milk goes in after the tea, never before, or so the old rule says.",
    "A clock does not measure time; it counts. A pendulum swings, a gear moves one tooth, a "
    "hand moves one mark. Every clock in the world is a machine for counting something that "
    "repeats, and every calendar is a way of naming the counts.",
    "The lighthouse keeper wrote the same three lines in his log every night: the hour the lamp "
    "was lit, the state of the sea, and the ships that passed. After forty years the log filled "
    "a whole shelf, and nobody had ever read it but him.",
    "Two computers that add the same numbers in a different order may not get the same answer. "
    "Each addition rounds its result, and the roundings pile up differently. To get the same "
    "bits twice, fix the order of every sum, the number of threads, and the shape of the work.",
    "The river begins as a spring in the hills, a thin line of cold water between two rocks. "
    "It gathers streams as it goes, turns a mill, passes under nine bridges, and reaches the sea "
    "wide and slow, carrying the mud of every field it has crossed.",
    "In the market on Saturday there were apples, pears, cabbages, onions, eggs, cheese, honey "
    "and bread. The fishmonger shouted his prices, the flower seller sang, and the old man who "
    "sharpens knives sat in the same corner he has sat in for thirty years.",
]

ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]  # fmt: skip
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
COLOURS = ["red", "blue", "green", "yellow", "white", "black", "brown", "grey", "orange"]
ANIMALS = ["cat", "dog", "horse", "goat", "fox", "owl", "hen", "duck", "sheep", "mouse"]
NAMES = ["Anna", "Ben", "Clara", "David", "Ella", "Frank", "Grace", "Hugo", "Iris", "Jonas"]
PLACES = ["the market", "the river", "the mill", "the school", "the harbour", "the hill"]
OBJECTS = ["a basket", "a lamp", "a book", "a kettle", "a rope", "a key", "a map", "a coat"]
TOWN_A = ["Ash", "Bel", "Cal", "Dun", "Elm", "Fen", "Glen", "Hart", "Kirk", "Lin", "Mor", "Oak"]
TOWN_B = ["ford", "ton", "by", "wick", "mere", "field", "holm", "stead", "well", "bridge"]
RIVERS = ["Wend", "Arle", "Tamm", "Oust", "Lyd", "Cary", "Brenn", "Sole"]
GOODS = ["bread", "wool", "cheese", "bells", "boats", "glass", "cider", "rope", "salt", "paper"]
DIRECTIONS = ["north", "south", "east", "west"]


def number_words(n: int) -> str:
    """English words for 0 <= n < 1000."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])
    rest = n % 100
    head = ONES[n // 100] + " hundred"
    return head if rest == 0 else head + " and " + number_words(rest)


def arithmetic(rng: random.Random) -> str:
    a, b = rng.randrange(100), rng.randrange(100)
    kind = rng.randrange(3)
    if kind == 0:
        return f"{number_words(a)} plus {number_words(b)} is {number_words(a + b)}."
    if kind == 1:
        a, b = max(a, b), min(a, b)
        return f"{number_words(a)} minus {number_words(b)} is {number_words(a - b)}."
    a, b = a % 13, b % 13
    return f"{number_words(a)} times {number_words(b)} is {number_words(a * b)}."


def digits(rng: random.Random) -> str:
    a, b = rng.randrange(1000), rng.randrange(1000)
    return f"{a} + {b} = {a + b}. In words, {a} is {number_words(a)}."


def calendar(rng: random.Random) -> str:
    i = rng.randrange(7)
    j = rng.randrange(12)
    return rng.choice(
        [
            f"The day after {DAYS[i]} is {DAYS[(i + 1) % 7]}.",
            f"The day before {DAYS[i]} is {DAYS[(i - 1) % 7]}.",
            f"The month after {MONTHS[j]} is {MONTHS[(j + 1) % 12]}.",
            f"{MONTHS[j]} is month number {number_words(j + 1)} of the year.",
        ]
    )


def counting(rng: random.Random) -> str:
    start = rng.randrange(90)
    run = ", ".join(number_words(n) for n in range(start, start + rng.randrange(4, 10)))
    return f"Counting on from {number_words(start)}: {run}."


def gazetteer(rng: random.Random) -> str:
    town = rng.choice(TOWN_A) + rng.choice(TOWN_B)
    other = rng.choice(TOWN_A) + rng.choice(TOWN_B)
    river = rng.choice(RIVERS)
    good, good2 = rng.sample(GOODS, 2)
    people = rng.randrange(2, 90) * 100
    return (
        f"The town of {town} lies on the river {river}, {rng.choice(DIRECTIONS)} of {other}. "
        f"About {people} people live there. It is known for its {good} and its {good2}."
    )


def story(rng: random.Random) -> str:
    name, friend = rng.sample(NAMES, 2)
    animal = rng.choice(ANIMALS)
    colour = rng.choice(COLOURS)
    place, place2 = rng.sample(PLACES, 2)
    thing = rng.choice(OBJECTS)
    day = rng.choice(DAYS)
    return (
        f"On {day} morning {name} walked to {place} with a {colour} {animal}. "
        f"There {name} met {friend}, who was carrying {thing}. "
        f'"Where are you going?" asked {name}. "To {place2}," said {friend}. '
        f"So they went to {place2} together, and the {colour} {animal} followed them."
    )


def question(rng: random.Random) -> str:
    animal = rng.choice(ANIMALS)
    legs = {"hen": 2, "duck": 2, "owl": 2}.get(animal, 4)
    i = rng.randrange(7)
    a, b = rng.randrange(20), rng.randrange(20)
    return rng.choice(
        [
            f"Q: How many legs does a {animal} have? A: A {animal} has {number_words(legs)} legs.",
            f"Q: What day comes after {DAYS[i]}? A: {DAYS[(i + 1) % 7]}.",
            f"Q: What is {a} plus {b}? A: {a + b}.",
            f"Q: Is {a} larger than {b}? A: {'Yes' if a > b else 'No'}.",
        ]
    )


MAKERS = [arithmetic, digits, calendar, counting, gazetteer, story, question]


def corpus() -> str:
    rng = random.Random(20261124)
    parts: list[str] = []
    size = 0
    while size < TARGET_BYTES:
        if rng.randrange(12) == 0:
            paragraph = rng.choice(PROSE)
        else:
            maker = rng.choice(MAKERS)
            paragraph = " ".join(maker(rng) for _ in range(rng.randrange(2, 6)))
        parts.append(paragraph)
        size += len(paragraph) + 1
    return "\n".join(parts) + "\n"


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(corpus(), encoding="ascii", newline="\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
