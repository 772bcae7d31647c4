"""The text a person sees on a rendered page (no tags, scripts, styles or attributes), and the
check that no template syntax leaked into it: `{#`, `{%` or `{{` on screen is a template bug."""

from html.parser import HTMLParser

TEMPLATE_SYNTAX = ("{#", "#}", "{%", "%}", "{{", "}}")


class _Text(HTMLParser):
    HIDDEN = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def template_syntax_in(text: str) -> list[str]:
    """Each piece of template syntax found in `text`, with a little context."""
    found = []
    for marker in TEMPLATE_SYNTAX:
        at = text.find(marker)
        if at >= 0:
            found.append(f"{marker!r} in …{text[max(at - 40, 0) : at + 60]}…")
    return found
