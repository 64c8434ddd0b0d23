import datetime

from django.apps import AppConfig
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("surveys")

    def ready(self):
        from django.contrib import admin

        from events import participation, respondents
        from qualityweek import scheduler

        from . import services
        from .admin import PERMISSION, results_view

        respondents.keep_links(services.forget_respondent)
        scheduler.register(
            scheduler.Job(
                "send_survey_invitations",
                "surveys.tasks.send_invitations",
                {},
                at=datetime.time(10, 0),
            )
        )
        admin.site.register_view(
            "surveys/",
            results_view,
            name="survey_results",
            permission=PERMISSION,
            caption=_("Surveys"),
            title=_("Survey results"),
            description=_("Answers per event and per region, and their export"),
        )
        participation.register_results(
            participation.RegionResults(
                "surveys", title=_("Survey after the events"), results=region_results
            )
        )


def region_results(region, edition) -> list:
    """The survey's part of a region's results: its people's answers."""
    from events.participation import Result

    from . import services

    figures = services.region_figures(region, edition)
    lines = [Result(gettext("Surveys answered"), figures["responses"])]
    for question, row in figures["questions"]:
        lines.append(
            Result(
                ngettext(
                    "%(question)s (mean of %(count)s answer, 1–5)",
                    "%(question)s (mean of %(count)s answers, 1–5)",
                    row["answers"],
                )
                % {"question": question.text_i18n, "count": row["answers"]},
                round(float(row["average"]), 1),
            )
        )
    return lines
