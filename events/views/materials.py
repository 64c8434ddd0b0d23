"""The brand kit and materials organisers publish."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from qualityweek import downloads

from .. import caching
from ..models import Material
from .base import CurrentEditionMixin


@method_decorator(caching.whole_page, name="dispatch")
class MaterialListView(CurrentEditionMixin, ListView):
    """The current edition's brand kit and information materials, and where to ask
    for more."""

    template_name = "events/material_list.html"
    context_object_name = "materials"

    def get_queryset(self):
        return Material.objects.published().of_edition(self.edition)

    def get_context_data(self, **kwargs):
        return super().get_context_data(edition=self.edition, **kwargs)


@require_safe
def material_download(request, pk):
    """A published material's file from the storage, named after its title."""
    material = get_object_or_404(Material.objects.published(), pk=pk)
    try:
        file = material.file.storage.open(material.file.name, "rb")
    except FileNotFoundError as error:
        raise Http404("The material's file is missing from the storage") from error
    filename = f"material-{material.pk}.{material.extension}"
    response = FileResponse(file, as_attachment=True, filename=filename)
    response["Content-Disposition"] = downloads.attachment(
        filename, downloads.download_name(material.title_i18n, material.extension)
    )
    # Served only while published: no proxy or browser keeps a copy that would
    # outlive the organisers' taking it back.
    response["Cache-Control"] = "private, no-store"
    return response
