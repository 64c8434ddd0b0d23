import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("registrations")

    def ready(self):
        from events import certificates as site_certificates
        from qualityweek import scheduler as site_scheduler

        from . import certificates

        site_certificates.register(certificates.SOURCE)
        site_scheduler.register(certificates.JOB)

        from django.contrib import admin

        from events import admin_figures, changes, live, participation, respondents
        from qualityweek import messages, metrics, personal_data, scheduler
        from qualityweek.models import ConsentText

        from . import admin_figures as registration_figures
        from . import audiences, services
        from . import live as registration_live
        from . import metrics as registration_metrics
        from . import respondents as registration_respondents
        from .admin import dashboard_view
        from .models import Registration

        personal_data.declare(
            "registrations",
            Registration,
            services,
            find=services.registrations_of,
            title=_("Registration to attend in person or online"),
            purpose=_(
                "To register you for the event, issue your pass to the venue "
                "or send you the stream link, tell you about changes to the "
                "event and count participants; after an event you attended, to "
                "send you a certificate of attendance with your name on it and "
                "a link to a short survey."
            ),
            data=_(
                "Your surname, name and patronymic, e-mail, phone, "
                "organisation, position and region."
            ),
            source=_(
                "The registration form on the page of an event that takes "
                "registrations, such as the regional day."
            ),
            kept=_(
                "Until the event ends, and %(days)s days after; then the site "
                "erases them by itself and keeps only counts of participants."
            ),
            consent_purpose=ConsentText.Purpose.REGISTRATION,
            form_url_name="registrations:regional_day",
        )
        changes.register(services.SeatHolders())
        messages.register(audiences.AUDIENCE)
        live.register(registration_live.PROVIDER)
        for figure in registration_figures.FIGURES:
            admin_figures.register(figure)
        metrics.register(registration_metrics.collect)
        respondents.register(registration_respondents.SOURCE)
        participation.register_results(
            participation.RegionResults(
                "registrations",
                title=_("Participants from the region"),
                results=registration_respondents.region_results,
            )
        )
        for job in _jobs():
            scheduler.register(job)
        admin.site.register_view(
            "dashboard/",
            dashboard_view,
            name="dashboard",
            permission="registrations.view_registration",
            caption=_("The day"),
            title=_("The day's dashboard"),
            description=_("Seats, waiting lists, confirmations and check-ins, live"),
        )


def _jobs():
    from qualityweek.scheduler import Job

    return [
        Job(
            "send_reminders",
            "registrations.tasks.send_reminders",
            {"days": 2},
            at=datetime.time(9, 0),
        ),
        # Frequent enough that the hour before a stream is not missed by much.
        Job(
            "send_online_reminders",
            "registrations.tasks.send_online_reminders",
            {},
            every_minutes=5,
        ),
        Job(
            "expire_sign_ups",
            "registrations.tasks.expire_sign_ups",
            {},
            every_minutes=60,
        ),
    ]
