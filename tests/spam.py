"""Public forms as a person sends them: shown a while before (qualityweek.spam)."""

import time

from qualityweek import spam


class Stamp:
    """The hidden render time of a form shown so many seconds before it is sent,
    made afresh for every post, as a person loads the form again for each
    submission: a stamp is good for one (qualityweek.spam.spend_stamp)."""

    def __init__(self, seconds_ago: float):
        self.seconds_ago = seconds_ago

    def __str__(self):
        return spam.render_stamp(time.time() - self.seconds_ago)


def shown(seconds_ago: float = 60) -> dict:
    """The hidden render time of a public form shown so many seconds ago."""
    return {spam.RENDERED_FIELD: spam.render_stamp(time.time() - seconds_ago)}


def shown_for_each_post(seconds_ago: float = 60) -> dict:
    """A render time the test client makes afresh for each post of the data."""
    return {spam.RENDERED_FIELD: Stamp(seconds_ago)}
