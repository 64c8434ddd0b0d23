from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class ActivationsConfig(AppConfig):
    name = "activations"
    verbose_name = _("activations")

    def ready(self):
        from events import certificates as site_certificates
        from qualityweek import scheduler as site_scheduler

        from . import certificates

        site_certificates.register(certificates.SOURCE)
        site_scheduler.register(certificates.JOB)

        from events import caching, entries, participation
        from qualityweek import personal_data
        from qualityweek.models import ConsentText

        from . import api, programme, results, services
        from .models import Activation

        entries.register(programme.ActivationSource())
        api.register()  # in the programme's JSON API
        participation.register_results(
            participation.RegionResults(
                "activations",
                title=_("Companies' activations"),
                results=results.region_results,
            )
        )
        caching.watch(Activation)  # approved ones show in the programme
        participation.register_counter(
            participation.Counter(
                "activations",
                rows=lambda edition: Activation.objects.approved().of_edition(edition),
                words=activations_in_words,
                headline=company_activations,
            )
        )

        personal_data.declare(
            "activations",
            Activation,
            services,
            find=services.activations_of,
            title=_("A company's activation"),
            purpose=_(
                "To moderate and publish the activation, to write to the "
                "company about it and, after the week, to send it the "
                "company's certificate of participation. The contact details "
                "are never published."
            ),
            data=_(
                "The contact person's name, e-mail and phone, and the "
                "company's INN (an entrepreneur's INN is personal data)."
            ),
            source=_("The form in which a company announces its activation."),
            kept=_(
                "Until the activation's last day, and %(days)s days after "
                "(%(days)s days after a refusal); then the site erases them by "
                "itself."
            ),
            consent_purpose=ConsentText.Purpose.ACTIVATION,
            form_url_name="activations:new",
        )


def activations_in_words(count: int) -> str:
    """Under a region's name in the list of regions."""
    return ngettext("%(counter)s activation", "%(counter)s activations", count) % {
        "counter": count
    }


def company_activations(count: int) -> str:
    """After the figure on the home page."""
    return ngettext("company activation", "company activations", count)
