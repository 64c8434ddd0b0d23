"""What the admin's moderation of public entries shares: asking for the reason a
rejected submitter will read."""

from django import forms
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason the submitters will read"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the reason the submitter will read.")},
    )


def ask_reason(modeladmin, request, queryset, *, title: str, explanation: str):
    """The valid reason posted with the action, or the page that asks for one.

    Returns (reason, None) once the organiser has written it, else (None, page).
    """
    form = RejectForm(request.POST if "reason" in request.POST else None)
    if form.is_valid():
        return form.cleaned_data["reason"], None
    return None, TemplateResponse(
        request,
        "admin/reject_with_reason.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "explanation": explanation,
            "opts": modeladmin.opts,
            "form": form,
            "entries": queryset,
            "action": request.POST.get("action", "reject"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "cancel_label": gettext("Go back"),
        },
    )
