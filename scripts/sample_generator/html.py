"""Turns a message (a list of blocks) into the HTML bodies Intercom returns, in the styles real inboxes show:
messenger paragraphs, <br>-separated chat text, Gmail/Outlook-style email markup with signatures and quoted
text, rich text with nested formatting, and the occasional tag-less plain body. Entities are mixed the way
real clients mix them (named, numeric, raw UTF-8).

Inline markup inside block text (chosen so it never occurs in real prose):
``⟦link:URL|label⟧``, ``⟦b:text⟧``, ``⟦i:text⟧``, ``⟦code:text⟧``, ``⟦img:URL⟧``.
Blocks: ``("p", text)``, ``("ul", [items])``, ``("ol", [items])``, ``("quote", text)``, ``("sig", [lines])``.
"""

from __future__ import annotations

import random
import re
from html.entities import codepoint2name

STYLES = ("messenger", "messenger", "messenger", "br", "email", "rich", "plain")
_INLINE = re.compile(r"⟦(link|b|i|code|img):([^⟧]*)⟧")


class Escaper:
    """Escapes text for one message; the entity habits (named vs numeric vs raw) are fixed per message."""

    def __init__(self, rng: random.Random, style: str) -> None:
        self.rng = rng
        self.non_ascii = rng.choice(("raw", "raw", "named", "numeric"))
        self.quotes = rng.random() < (0.7 if style == "email" else 0.15)
        self.nbsp = style == "email" and rng.random() < 0.6

    def __call__(self, text: str) -> str:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if self.quotes:
            text = text.replace('"', "&quot;")
            text = text.replace("'", self.rng.choice(("&#39;", "&rsquo;", "&#x27;")))
        if self.nbsp:
            text = text.replace(".  ", ".&nbsp; ").replace(": ", ":&nbsp;")
        if self.non_ascii != "raw":
            out = []
            for char in text:
                code = ord(char)
                if code < 128:
                    out.append(char)
                elif self.non_ascii == "named" and code in codepoint2name:
                    out.append(f"&{codepoint2name[code]};")
                else:
                    out.append(f"&#{code};")
            text = "".join(out)
        return text


def _inline_html(text: str, esc: Escaper) -> str:
    out: list[str] = []
    position = 0
    for match in _INLINE.finditer(text):
        out.append(esc(text[position : match.start()]))
        kind, payload = match.group(1), match.group(2)
        if kind == "link":
            url, _, label = payload.partition("|")
            href = url.replace("&", "&amp;")
            out.append(f'<a href="{href}" target="_blank" rel="nofollow noopener noreferrer">{esc(label or url)}</a>')
        elif kind == "img":
            out.append(f'<img src="{payload}">')
        else:
            tag = {"b": esc.rng.choice(("b", "strong")), "i": esc.rng.choice(("i", "em")), "code": "code"}[kind]
            out.append(f"<{tag}>{esc(payload)}</{tag}>")
        position = match.end()
    out.append(esc(text[position:]))
    return "".join(out)


def _inline_plain(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        kind, payload = match.group(1), match.group(2)
        if kind == "link":
            url, _, label = payload.partition("|")
            return f"{label} ({url})" if label and label != url else url
        if kind == "img":
            return ""
        return payload

    return _INLINE.sub(replace, text)


def plain_text(blocks: list[tuple]) -> str:
    """The readable text of a message (used for sanity checks, never written to the sample)."""
    lines: list[str] = []
    for block in blocks:
        if block[0] in ("ul", "ol", "sig"):
            lines.extend(_inline_plain(item) for item in block[1])
        else:
            lines.append(_inline_plain(block[1]))
    return "\n".join(line for line in lines if line)


def render(blocks: list[tuple], rng: random.Random, style: str | None = None) -> str:
    style = style or rng.choice(STYLES)
    if not blocks:
        return ""
    if style == "plain":
        return _render_plain(blocks)
    esc = Escaper(rng, style)
    if style == "br":
        return _render_br(blocks, esc)
    if style == "email":
        return _render_email(blocks, esc)
    html = _render_messenger(blocks, esc, rng)
    if style == "rich":
        html = _enrich(html, rng)
    return html


def _render_messenger(blocks: list[tuple], esc: Escaper, rng: random.Random) -> str:
    parts: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind == "p":
            parts.append(f"<p>{_inline_html(block[1], esc)}</p>")
        elif kind in ("ul", "ol"):
            items = "".join(f"<li>{_inline_html(item, esc)}</li>" for item in block[1])
            parts.append(f"<{kind}>{items}</{kind}>")
        elif kind == "quote":
            parts.append(f"<blockquote><p>{_inline_html(block[1], esc)}</p></blockquote>")
        elif kind == "sig":
            parts.append("<p>" + "<br>".join(_inline_html(line, esc) for line in block[1]) + "</p>")
    if rng.random() < 0.1:
        parts.insert(rng.randrange(1, len(parts) + 1), "<p></p>")  # stray empty paragraph from the composer
    return "".join(parts)


def _render_br(blocks: list[tuple], esc: Escaper) -> str:
    chunks: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind in ("ul", "ol"):
            marker = (lambda n: f"{n}. ") if kind == "ol" else (lambda n: "- ")
            chunks.append("<br>".join(marker(n + 1) + _inline_html(item, esc) for n, item in enumerate(block[1])))
        elif kind == "sig":
            chunks.append("<br>".join(_inline_html(line, esc) for line in block[1]))
        else:
            chunks.append(_inline_html(block[1], esc))
    return "<br><br>".join(chunks)


def _render_email(blocks: list[tuple], esc: Escaper) -> str:
    parts: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind == "p":
            parts.append(f"<div>{_inline_html(block[1], esc)}</div><div><br></div>")
        elif kind in ("ul", "ol"):
            items = "".join(f"<li style=\"margin-left:15px\">{_inline_html(item, esc)}</li>" for item in block[1])
            parts.append(f"<{kind}>{items}</{kind}>")
        elif kind == "quote":
            parts.append(
                '<div class="gmail_quote"><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;'
                f'border-left:1px solid rgb(204,204,204);padding-left:1ex">{_inline_html(block[1], esc)}'
                "</blockquote></div>"
            )
        elif kind == "sig":
            lines = "<br>".join(_inline_html(line, esc) for line in block[1])
            parts.append(f'<div><div dir="ltr" class="gmail_signature">--<br>{lines}</div></div>')
    return f'<div dir="ltr">{"".join(parts)}</div>'


def _render_plain(blocks: list[tuple]) -> str:
    chunks: list[str] = []
    for block in blocks:
        if block[0] in ("ul", "ol"):
            chunks.append("\n".join(f"* {_inline_plain(item)}" for item in block[1]))
        elif block[0] == "sig":
            chunks.append("\n".join(_inline_plain(line) for line in block[1]))
        else:
            chunks.append(_inline_plain(block[1]))
    return "\n\n".join(chunks)


def _enrich(html: str, rng: random.Random) -> str:
    """Nested wrappers and spans the way pasted rich text arrives."""
    if rng.random() < 0.5:
        html = f'<div class="intercom-container">{html}</div>'
    if rng.random() < 0.5:
        html = html.replace("<p>", '<p><span style="font-size: 14px; color: rgb(33, 33, 33);">', 1)
        html = html.replace("</p>", "</span></p>", 1)
    if rng.random() < 0.3:
        html = html.replace("<p>", "<p><br></p><p>", 1)
    return html
