"""Text search over the programme.

Done in Python over the already-filtered edition programme: SQLite's LIKE folds
only ASCII letters, so «форум» would miss «Форум» there. An edition holds hundreds
of events, not millions, and the result is cached with the rendered page.
"""


def normalise(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


def haystack(event) -> str:
    parts = [
        event.title,
        event.title_en,
        event.summary,
        event.summary_en,
        event.description,
        event.description_en,
    ]
    if event.venue_id:
        parts += [event.venue.name, event.venue.name_en, event.venue.address]
    for speaker in event.speakers.all():
        parts += [speaker.name, speaker.name_en, speaker.organisation]
    for organiser in event.organisers.all():
        parts += [organiser.name, organiser.short_name, organiser.short_name_en]
    return normalise(" ".join(parts))


def matches(event, query: str) -> bool:
    """Every word of the query occurs somewhere in the event's texts."""
    text = haystack(event)
    return all(word in text for word in normalise(query).split())
