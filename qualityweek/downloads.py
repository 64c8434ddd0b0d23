"""Files people download: names they recognise, a header every browser reads."""

import re
from urllib.parse import quote

# No file name holds a control character; line breaks and tabs become spaces.
_CONTROL_CHARACTERS = dict.fromkeys([*range(0x20), *range(0x7F, 0xA0)], " ")
# What Windows, macOS and Linux refuse in a file name.
_UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|]+')


def download_name(title: str, extension: str) -> str:
    """A file name people recognise, in their language; empty if nothing is left."""
    name = _UNSAFE_IN_FILE_NAME.sub(" ", title.translate(_CONTROL_CHARACTERS))
    name = " ".join(name.split())[:80].strip(" .")
    return f"{name}.{extension}" if name else ""


def attachment(filename: str, readable: str = "") -> str:
    """Content-Disposition of a download: `filename` in Latin letters, `readable`
    (a `download_name`) in full."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "-", filename)
    disposition = f'attachment; filename="{fallback}"'
    if readable:
        # RFC 6266: browsers take filename* and fall back to the Latin name.
        disposition += f"; filename*=UTF-8''{quote(readable, safe='')}"
    return disposition
