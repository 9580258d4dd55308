"""A cloze deletion inside a picture's alt text (`<img src="leg.png" alt="{{c1::Tibia}}">`), made
visible: the alt text follows the picture as text.

No chat shows an alt text, so the deletion would be hidden on both sides and the card would ask
nothing (Anki itself breaks the tag there: its `<span class=cloze>` ends the attribute and the
picture is lost). Moved out of the tag, the deletion reads `[...]` on the question and its text on
the answer, beside the picture. An alt text without a deletion is left where it is.
"""

from __future__ import annotations

import re

__all__ = ["show_clozed_alt_text"]

# Linear in the field, whatever a crafted package holds: a tag ends before the next `<`, and the
# attribute starts after one space (a `\s+` there would rescan runs of spaces).
_IMAGE_TAG = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)
_ALT = re.compile(
    r"""\salt\s*=\s*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>[^\s"'=<>`]+))""",
    re.IGNORECASE,
)


def show_clozed_alt_text(html: str) -> str:
    """`html` with each picture whose alt text holds a `{{cN::…}}` followed by that text."""
    if "{{c" not in html or "<" not in html:
        return html
    return _IMAGE_TAG.sub(_moved_out, html)


def _moved_out(tag: re.Match[str]) -> str:
    text = tag.group(0)
    alt = _ALT.search(text)
    if alt is None:
        return text
    value = next(part for part in alt.group("double", "single", "bare") if part is not None)
    if "{{c" not in value:
        return text
    # The value is HTML-escaped as text is (a tag holds no `<` or `>`); a space keeps the rest of
    # the tag apart (`src=x.png/>` would read "x.png/").
    return f"{text[: alt.start()]} {text[alt.end() :].lstrip()} {value}"
