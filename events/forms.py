from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qualityweek import filters, images

from . import entries
from .fields import RegionChoiceField
from .models import Event, Material, Organiser, Region, Speaker
from .models.materials import MATERIAL_EXTENSIONS


class ScheduleFilterForm(filters.FilterForm):
    """The schedule's filters, read from the query string."""

    q = filters.search_field(_("Title, speaker, place…"))
    day = filters.day_field()
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    format = forms.ChoiceField(label=_("Format"), required=False)
    region = RegionChoiceField(
        label=_("Region"),
        required=False,
        empty_label=_("All regions"),
        error_messages={
            "invalid_choice": _(
                "There is no region with the code “%(value)s”. "
                "The programme shows every region."
            )
        },
    )

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = filters.day_choices(
            edition.days(), empty_label=_("All days")
        )
        # The events' kinds, then those the programme's other sources add.
        self.fields["kind"].choices = [("", _("All kinds")), *entries.kind_choices()]
        self.fields["format"].choices = [("", _("All formats")), *Event.Format.choices]
        # Every region taking part or hosting any of the programme (the national
        # events held in Moscow too), and the one asked for even if it has
        # nothing (yet): the list then says which region the empty programme is for.
        taking_part = Region.objects.taking_part(edition).values("pk")
        hosting = (
            Event.objects.published()
            .of_edition(edition)
            .with_place_region()
            .values("place_region")
        )
        self.fields["region"].offered = Region.objects.filter(
            Q(pk__in=taking_part)
            | Q(pk__in=hosting)
            | Q(code=self.data.get("region", ""))
        )


class CalendarFilterForm(ScheduleFilterForm):
    """The schedule's filters for the calendar feed.

    Any region is valid: a subscription to a region's events must stay one when its
    last event leaves the programme, not turn into the whole week.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].error_messages["invalid_choice"] = _(
            "There is no region with the code “%(value)s”."
        )

    def labels(self) -> list[str]:
        """The active filters as people read them, for the calendar's name."""
        labels = []
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            if name == "q":
                labels.append(gettext("“%(text)s”") % {"text": value})
            elif name == "region":
                labels.append(value.name_i18n)
            else:
                labels.append(str(dict(self.fields[name].choices)[self.data[name]]))
        return labels


class MaterialAdminForm(forms.ModelForm):
    """A material in admin: the file's type (the model's rule) and its size."""

    class Meta:
        model = Material
        fields = [
            "edition",
            "title",
            "title_en",
            "description",
            "description_en",
            "file",
            "position",
            "is_published",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "Allowed types: %(extensions)s. At most %(limit)s."
        ) % {
            "extensions": ", ".join(MATERIAL_EXTENSIONS),
            "limit": filesizeformat(settings.QUALITYWEEK_MATERIAL_MAX_BYTES),
        }

    def clean_file(self):
        file = self.cleaned_data["file"]
        limit = settings.QUALITYWEEK_MATERIAL_MAX_BYTES
        # Only a new upload is weighed: a file stored under an earlier, larger
        # limit does not stop organisers from editing its title.
        if isinstance(file, UploadedFile) and file.size > limit:
            raise forms.ValidationError(
                gettext("The file is %(size)s; a material can be at most %(limit)s.")
                % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
                code="file_too_large",
            )
        return file


class SpeakerAdminForm(forms.ModelForm):
    """A speaker as organisers edit one: the photo goes through qualityweek.images."""

    class Meta:
        model = Speaker
        fields = [
            "name",
            "name_en",
            "slug",
            "bio",
            "bio_en",
            "position",
            "position_en",
            "organisation",
            "organisation_en",
            "photo",
            "is_demo",
        ]
        field_classes = {"photo": images.ImageField}


class OrganiserAdminForm(forms.ModelForm):
    """An organiser as organisers edit one: the logo goes through qualityweek.images."""

    class Meta:
        model = Organiser
        fields = [
            "name",
            "name_en",
            "short_name",
            "short_name_en",
            "slug",
            "website",
            "logo",
            "position",
        ]
        field_classes = {"logo": images.ImageField}
