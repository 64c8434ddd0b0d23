"""What the features add to a region's part in an edition: counts and page sections.

The programme counts its own events and the regions that joined Quality Day; the
features (companies' activations, regional venues…) register here, from their
`AppConfig.ready()`, what else makes a region take part and what its page shows of
them, so that the programme imports none of them:

- a `Counter`: the rows of an edition that make their region take part; each
  region of `Region.objects.taking_part(edition)` carries its count as
  `<name>_count`, the list of regions says it in words, and a counter with a
  `headline` is a figure of the home page too;
- a `RegionSection`: a part of a region's page, a template of the feature's own
  given the rows it lists (`items`), the region and the edition.

Both show in the order the apps are installed.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.formats import number_format


@dataclass(frozen=True)
class Counter:
    name: str  # the key of its count: a region's `<name>_count`, the home page's
    rows: Callable  # (edition) -> a queryset of the rows that make a region take part
    words: Callable[[int], str]  # the count in words under a region's name
    headline: Callable[[int], str] | None = None  # the home page's words after it
    region_field: str = "region"  # the rows' path to their region


@dataclass(frozen=True)
class RegionSection:
    name: str
    template_name: str  # included with `items`, `region` and `edition` only
    items: Callable  # (region, edition) -> the rows the section lists


_counters: dict[str, Counter] = {}
_sections: dict[str, RegionSection] = {}


def register_counter(counter: Counter) -> None:
    _counters[counter.name] = counter


def register_section(section: RegionSection) -> None:
    _sections[section.name] = section


def counters() -> list[Counter]:
    return list(_counters.values())


def lines(region) -> list[str]:
    """What the features count of a region (annotated by `taking_part`), in words."""
    lines = []
    for counter in _counters.values():
        count = getattr(region, f"{counter.name}_count", 0)
        if count:
            lines.append(counter.words(count))
    return lines


@dataclass(frozen=True)
class Figure:
    count: int
    words: str


def headline_figures(edition) -> list[Figure]:
    """The home page's figures of the features: one count query each."""
    figures = []
    for counter in _counters.values():
        if counter.headline is not None:
            count = counter.rows(edition).count()
            figures.append(Figure(count, counter.headline(count)))
    return figures


@dataclass(frozen=True)
class FilledSection:
    template_name: str
    items: list


def sections(region, edition) -> list[FilledSection]:
    """Each registered section of a region's page with the rows it lists."""
    return [
        FilledSection(section.template_name, list(section.items(region, edition)))
        for section in _sections.values()
    ]


@dataclass(frozen=True)
class Result:
    """One line of a region's results: what was counted, and how many (or a mean)."""

    label: str
    value: int | float | str

    @property
    def text(self) -> str:
        """The value as people read it: a mean with one decimal, in their locale."""
        if isinstance(self.value, float):
            return number_format(self.value, decimal_pos=1)
        return str(self.value)


@dataclass(frozen=True)
class RegionResults:
    """A part of a region's results of the week, for its page and its report."""

    name: str
    title: str  # the heading, a lazy translation
    results: Callable  # (region, edition) -> list[Result]


_results: dict[str, RegionResults] = {}


def register_results(results: RegionResults) -> None:
    _results[results.name] = results


@dataclass(frozen=True)
class ResultGroup:
    name: str
    title: str
    results: list[Result]


def results(region, edition) -> list[ResultGroup]:
    """What each feature counts of the region's week, in the order apps install."""
    return [
        ResultGroup(group.name, str(group.title), group.results(region, edition))
        for group in _results.values()
    ]
