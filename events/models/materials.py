"""The brand kit and information materials organisers publish for download."""

import uuid
from pathlib import PurePath

from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from qualityweek.i18n import Translated

from .editions import Edition

# What brand kits are made of: documents, archives, images, the vector files of
# design tools (Illustrator, EPS, CorelDRAW) and office documents. No format that
# runs code when opened (.docm, .exe, .html).
MATERIAL_EXTENSIONS = (
    "pdf",
    "zip",
    "rar",
    "7z",
    "png",
    "jpg",
    "jpeg",
    "tif",
    "tiff",
    "svg",
    "ai",
    "eps",
    "cdr",
    "psd",
    "docx",
    "pptx",
    "xlsx",
    "odt",
    "odp",
    "ods",
)


def material_file_name(material: "Material", filename: str) -> str:
    """Where a material's file is stored: a random name with the file's extension.

    Organisers' own file names ("Брендбук_2024_черновик.pdf") are guessable and
    may say what is not published yet; the download names the file after its
    title instead (events.views.materials).
    """
    extension = PurePath(filename).suffix.lower()
    return f"materials/{uuid.uuid4().hex}{extension}"


class MaterialQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def of_edition(self, edition):
        return self.filter(edition=edition)


class Material(models.Model):
    """A file of the brand kit or an information material, with its title."""

    edition = models.ForeignKey(
        Edition, models.CASCADE, verbose_name=_("edition"), related_name="materials"
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    description_en = models.CharField(
        _("description in English"), max_length=300, blank=True
    )
    file = models.FileField(
        _("file"),
        upload_to=material_file_name,
        max_length=255,
        validators=[
            FileExtensionValidator(
                MATERIAL_EXTENSIONS,
                message=_(
                    "Files of the type “%(extension)s” cannot be published. "
                    "Allowed types: %(allowed_extensions)s."
                ),
            )
        ],
    )
    # Noted when the file is saved: the public list shows it without asking the
    # storage (a request per file on object storage) or failing on a missing file.
    size = models.PositiveBigIntegerField(
        _("size"), null=True, blank=True, editable=False
    )
    position = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers are listed first.")
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self):
        return self.title

    title_i18n = Translated("title")
    description_i18n = Translated("description")

    @property
    def extension(self) -> str:
        """The file's extension, lower case and without the dot: "pdf"."""
        return PurePath(self.file.name).suffix.lstrip(".").lower()

    @property
    def format(self) -> str:
        """The file's format as people name it: "PDF"."""
        return self.extension.upper()
