"""Admin change forms as a browser posts them back, for tests that edit."""

from html.parser import HTMLParser


def change_form_data(client, event) -> dict:
    """What a browser would post back from the admin change form, unchanged."""
    html = client.get(f"/admin/events/event/{event.pk}/change/").content.decode()
    parser = FormValues()
    parser.feed(html)
    return parser.data


class FormValues(HTMLParser):
    """The successful controls of the page's forms, as a browser submits them."""

    def __init__(self):
        super().__init__()
        self.data = {}
        self.select = None
        self.textarea = None

    def add(self, name, value):
        if name in self.data:
            previous = self.data[name]
            self.data[name] = (
                [*previous, value]
                if isinstance(previous, list)
                else [
                    previous,
                    value,
                ]
            )
        else:
            self.data[name] = value

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            checkable = attrs.get("type") in ("checkbox", "radio")
            self.add(name, attrs.get("value", "on" if checkable else ""))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data.removeprefix("\n")
