import datetime
import io
import re

import pypdf


class JustAfter:
    """Equals a moment within a minute after `moment`: the site clock runs on."""

    def __init__(self, moment: datetime.datetime):
        self.moment = moment

    def __eq__(self, other):
        return isinstance(other, datetime.datetime) and datetime.timedelta(
            0
        ) <= other - self.moment < datetime.timedelta(minutes=1)

    def __repr__(self):
        return f"JustAfter({self.moment.isoformat()})"


def link_in(message, path_part: str) -> str:
    """The first link in an e-mail's text whose path has `path_part`, as a path."""
    for url in re.findall(r"https?://\S+", message.body):
        if path_part in url:
            return "/" + url.split("://", 1)[1].split("/", 1)[1]
    raise AssertionError(f"No link with {path_part} in the e-mail")


def pdf_text(content: bytes) -> str:
    """The words of a one-page PDF, as a viewer's copy and paste gives them."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())
