"""Reading pages as a visitor does."""

import re


def text_of(response) -> str:
    """The page as a visitor reads it: tags out, spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
