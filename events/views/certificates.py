"""A certificate's public verification page and its PDF for the holder."""

from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from qualityweek import links

from .. import certificates
from ..models import Certificate


@require_safe
def certificate_check(request, code):
    """Whether a certificate with this code was issued: the holder as initials."""
    certificate = (
        Certificate.objects.select_related("edition", "replaced_by")
        .filter(code=code)
        .first()
    )
    if certificate is None:
        return render(
            request, "events/certificate_unknown.html", {"code": code}, status=404
        )
    holder = certificate.holder
    if holder and certificates.is_person(certificate):
        holder = certificates.initials(holder)
    return render(
        request,
        "events/certificate_detail.html",
        {"certificate": certificate, "holder": holder},
    )


@never_cache
@require_safe
def certificate_pdf(request, signed):
    """The certificate with the full name, by the signed link of the holder's pages."""
    try:
        code = links.unsign(signed, salt=certificates.DOWNLOAD_SALT, max_age=None)
    except signing.BadSignature as error:
        raise Http404("Not a certificate link") from error
    certificate = (
        Certificate.objects.current()
        .filter(code=code, erased_at__isnull=True)
        .select_related("edition")
        .first()
    )
    if certificate is None:
        raise Http404("No such certificate in force")
    response = HttpResponse(
        certificates.certificate_pdf(certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{certificates.filename(certificate)}"'
    )
    response["X-Robots-Tag"] = "noindex"
    return response
