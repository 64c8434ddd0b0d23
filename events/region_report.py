"""A region's results of the week, for its ministry to publish (PDF and XLSX),
and the letter a ministry sends its businesses to invite them to take part.

The figures come from `participation.results()`: the programme counts its own
events, each feature registers what it counts of a region (events imports none).
"""

import io

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext

from qualityweek import clock, links, pdf, spreadsheets

from . import participation
from .templatetags.events_tags import daterange


def region_url(region) -> str:
    return links.absolute(reverse("events:region", args=[region.code]))


def filename(region, edition, suffix: str) -> str:
    return f"quality-week-{edition.year}-region-{region.code}-{suffix}"


def rows(region, edition, groups) -> list[list]:
    """The report as a sheet: a header, then a row per figure."""
    return [
        [gettext("Section"), gettext("Figure"), gettext("Value")],
        *(
            [group.title, result.label, result.value]
            for group in groups
            for result in group.results
        ),
    ]


def xlsx(region, edition, groups) -> bytes:
    return spreadsheets.excel_xlsx(
        rows(region, edition, groups), title=str(region.name_i18n)
    )


def report_pdf(region, edition, groups) -> bytes:
    """The report as one or more A4 pages, in the active language."""
    site = gettext("World Quality Week")
    title = gettext("%(region)s: results of the week") % {"region": region.name_i18n}
    document = pdf.Report(title=title, author=site, language=get_language())
    document.kicker(edition.title_i18n)
    document.heading(title)
    document.paragraph(
        gettext("%(dates)s. Figures as of %(moment)s, Moscow time.")
        % {
            "dates": daterange(edition.first_day, edition.last_day),
            "moment": timezone.localtime(clock.now()).strftime("%d.%m.%Y %H:%M"),
        },
        size=10,
        after=5,
    )
    for group in groups:
        document.heading(group.title, size=13)
        if not group.results:
            document.paragraph(gettext("Nothing yet."), size=10)
        for result in group.results:
            document.line_of(result.label, result.text)
        document.ln(4)
    document.paragraph(
        gettext("The region's page: %(url)s") % {"url": region_url(region)}, size=10
    )
    return document.output_bytes()


def invitation_pdf(region, edition) -> bytes:
    """A ministry's letter to its region's businesses inviting them to hold
    activations during the week: the usual layout of an official letter, with
    blanks for the ministry's number, date and signature."""
    site = gettext("World Quality Week")
    url = region_url(region)
    subject = gettext("On taking part in %(edition)s") % {"edition": edition.title_i18n}
    document = pdf.Report(title=subject, author=site, language=get_language())
    top = document.get_y()
    # Left: the ministry's blanks for its number and date; right: the addressees.
    document.set_font(pdf.FONT, "", 10)
    document.set_text_color(*pdf.NAVY)
    document.multi_cell(
        85,
        6,
        gettext("No. ______ of «___» __________ %(year)s") % {"year": edition.year},
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    document.set_xy(document.l_margin + document.epw - 80, top)
    document.set_font(pdf.FONT, "B", 11)
    document.multi_cell(
        80,
        6,
        gettext(
            "To the heads of organisations and individual entrepreneurs of the "
            "region: %(region)s"
        )
        % {"region": region.name_i18n},
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    document.ln(10)
    document.set_font(pdf.FONT, "B", 11)
    document.multi_cell(0, 6, subject, align="C", new_x="LMARGIN", new_y="NEXT")
    document.ln(6)
    document.set_font(pdf.FONT, "B", 12)
    document.multi_cell(
        0,
        6,
        gettext("Dear heads of organisations,"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    document.ln(4)
    dates = daterange(edition.first_day, edition.last_day)
    for text in (
        gettext(
            "On %(dates)s Russia holds %(edition)s; %(quality_day)s is World "
            "Quality Day."
        )
        % {
            "dates": dates,
            "edition": edition.title_i18n,
            "quality_day": daterange(edition.quality_day, edition.quality_day),
        },
        gettext(
            "We invite the organisations and businesses of the region to take part "
            "in the week: to hold an activation during it (an open day, a tour of "
            "the production or the laboratory, a lecture, a contest of "
            "professional skill) and to announce it on the week's site, where it "
            "appears in the programme and on the region's page."
        ),
        gettext(
            "The region's page lists the events and activations of the region and "
            "the form to announce an activation: %(url)s (the QR code below leads "
            "there)."
        )
        % {"url": url},
    ):
        document.paragraph(text, size=11, after=3)
    qr_size = 38
    document.ln(2)
    document.image(
        io.BytesIO(pdf.qr_png(url)),
        x=document.l_margin,
        y=document.get_y(),
        w=qr_size,
        h=qr_size,
    )
    document.set_y(document.get_y() + qr_size + 2)
    document.set_font(pdf.FONT, "", 9)
    document.set_text_color(*pdf.MUTED)
    document.cell(0, 5, url, new_x="LMARGIN", new_y="NEXT")
    document.ln(12)
    document.set_font(pdf.FONT, "", 11)
    document.set_text_color(*pdf.NAVY)
    document.cell(0, 6, gettext("Minister"), new_x="LMARGIN", new_y="NEXT")
    document.cell(
        0, 6, "____________________ / ____________________ /", new_x="LMARGIN"
    )
    return document.output_bytes()


def programme_results(region, edition) -> list[participation.Result]:
    """The programme's own part of a region's results."""
    from .models import Event, RegionalParticipation

    events = (
        Event.objects.published()
        .of_edition(edition)
        .in_region(region)
        .filter(is_cancelled=False)
    )
    joined = RegionalParticipation.objects.filter(
        edition=edition, region=region
    ).exists()
    return [
        participation.Result(gettext("Events of the programme"), events.count()),
        participation.Result(
            gettext("Joined Quality Day"), gettext("yes") if joined else gettext("no")
        ),
    ]
