"""Text search over the programme, ranked.

Done in Python over the already-filtered programme of an edition, alike on SQLite
and PostgreSQL: an edition holds hundreds of events, not millions, they are loaded
to be rendered anyway, and the result is cached with the page. Words are compared
by their Snowball stems, the stemmer behind PostgreSQL's own `russian` and
`english` text search, so «управление качеством» finds «управления качеством»
and one search behaves the same on a laptop and in production.

Where a word is found weighs as in PostgreSQL's ranking: the title and the
speakers' names (A) above the summary and description (B), above the organisers,
venue and company (C): someone looking for a speaker by name is looking for their
sessions, as much as for a title that says it. Every event of the week may carry
«качества» in its organiser's name, so a match there alone counts only when
nothing matches in titles or descriptions.
"""

import functools
import re
import threading

import snowballstemmer

TITLE, TEXT, CONTEXT = 0, 1, 2  # PostgreSQL's weights A, B, C

WORD = re.compile(r"\w+")
CYRILLIC = re.compile(r"[а-я]")
_stemmers = threading.local()  # a Snowball stemmer keeps state while it works


def normalise(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


@functools.lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The stem of a casefolded word: Russian or English by its letters."""
    if not hasattr(_stemmers, "russian"):
        _stemmers.russian = snowballstemmer.stemmer("russian")
        _stemmers.english = snowballstemmer.stemmer("english")
    if CYRILLIC.search(word):
        return _stemmers.russian.stemWord(word)
    return _stemmers.english.stemWord(word)


def stems(text: str) -> list[str]:
    return [stem(word) for word in WORD.findall(normalise(text))]


class Query:
    def __init__(self, text: str):
        self.stems = list(dict.fromkeys(stems(text)))

    def __bool__(self) -> bool:
        return bool(self.stems)

    def weight(self, groups) -> int | None:
        """Where every word of the query is found in the texts `groups` (title,
        text, context): the weakest of each word's best place; None if some word
        is found nowhere. A part of a word counts, as «кач» in «качества»."""
        texts = [" ".join(stems(" ".join(filter(None, group)))) for group in groups]
        weakest = TITLE
        for word in self.stems:
            found = next((i for i, text in enumerate(texts) if word in text), None)
            if found is None:
                return None
            weakest = max(weakest, found)
        return weakest


def ranked(entries, query: str, texts) -> list:
    """The entries that match `query`, best first and otherwise in their order;
    `texts(entry)` gives an entry's (title, text, context) strings. Matches in
    the context alone are left out when anything matches in a title or text."""
    query = Query(query)
    if not query:
        return list(entries)
    weighed = [(query.weight(texts(entry)), entry) for entry in entries]
    weighed = [(weight, entry) for weight, entry in weighed if weight is not None]
    if any(weight < CONTEXT for weight, _ in weighed):
        weighed = [(weight, entry) for weight, entry in weighed if weight < CONTEXT]
    return [entry for _, entry in sorted(weighed, key=lambda pair: pair[0])]


def event_texts(event) -> tuple:
    title = [event.title, event.title_en]
    text = [
        event.summary,
        event.summary_en,
        event.description,
        event.description_en,
    ]
    context = []
    for speaker in event.speakers.all():
        title += [speaker.name, speaker.name_en]
        context += [speaker.organisation, speaker.organisation_en]
    if event.venue_id:
        context += [event.venue.name, event.venue.name_en, event.venue.address]
    for organiser in event.organisers.all():
        context += [
            organiser.name,
            organiser.name_en,
            organiser.short_name,
            organiser.short_name_en,
        ]
    return title, text, context


def speakers_matching(speakers, query: str) -> list:
    """The speakers whose name (in either language) holds every word of the query:
    their cards head the schedule's search results."""
    return _named(speakers, query, lambda speaker: (speaker.name, speaker.name_en))


def organisers_matching(organisers, query: str) -> list:
    """The organising bodies whose full or short name (in either language) holds
    every word of the query: their cards head the results with the speakers'."""
    return _named(
        organisers,
        query,
        lambda organiser: (
            organiser.name,
            organiser.name_en,
            organiser.short_name,
            organiser.short_name_en,
        ),
    )


def _named(rows, query: str, names) -> list:
    query = Query(query)
    if not query:
        return []
    return [row for row in rows if query.weight([names(row)]) is not None]


def search(events, query: str) -> list:
    return ranked(events, query, event_texts)
