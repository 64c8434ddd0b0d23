"""Public forms as a person sends them: shown a while before (qualityweek.spam)."""

import time

from qualityweek import spam


def shown(seconds_ago: float = 60) -> dict:
    """The hidden render time of a public form shown so many seconds ago."""
    return {spam.RENDERED_FIELD: spam.render_stamp(time.time() - seconds_ago)}
