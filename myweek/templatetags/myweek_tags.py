"""The "Add to my week" button, for the programme's rows and pages.

The same HTML for every visitor (the pages are cached whole): what is marked
shows only on the visitor's own week page.
"""

from django import template

from events import entries

register = template.Library()


@register.inclusion_tag("myweek/includes/mark_button.html")
def mark_button(item, compact=False):
    """A form that marks an entry (or a row of any programme source)."""
    source, pk = entries.identity(item)
    return {"source": source, "pk": pk, "compact": compact}
