"""The organisers' action that writes to an audience (qualityweek.messages): write
the texts, see the letters and the count, confirm.

Every admin list whose model is an audience's source offers the action to staff
who may send messages; the admin site mixes it into every model's admin.
"""

from django import forms
from django.contrib import messages as notices
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import mail as site_mail
from . import messages


class MessageForm(forms.Form):
    group = forms.ChoiceField(label=_("Write to"), widget=forms.RadioSelect)
    subject = forms.CharField(label=_("Subject in Russian"), max_length=200)
    body = forms.CharField(
        label=_("Text in Russian"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text; an empty line starts a new paragraph."),
    )
    subject_en = forms.CharField(label=_("Subject in English"), max_length=200)
    body_en = forms.CharField(
        label=_("Text in English"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("People who registered on the English site read this one."),
    )
    key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, groups: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = list(groups.items())
        if len(groups) == 1:
            self.fields["group"].initial = next(iter(groups))
            self.fields["group"].widget = forms.HiddenInput()

    def draft(self) -> messages.Draft:
        data = self.cleaned_data
        return messages.Draft(
            subject=data["subject"].strip(),
            subject_en=data["subject_en"].strip(),
            body=data["body"].strip(),
            body_en=data["body_en"].strip(),
        )


def may_send(request) -> bool:
    return request.user.has_perm(messages.SEND_PERMISSION)


def action_for(audience: messages.Audience):
    def write(modeladmin, request, queryset):
        return compose(modeladmin, request, queryset, audience)

    write.short_description = audience.action_label
    return write


class WritesMessages:
    """Adds to an admin list the actions of the audiences it is the source of."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.actions is not None and may_send(request):
            for audience in messages.audiences_for(self.model):
                name = f"write_to_{audience.key}"
                actions[name] = (action_for(audience), name, audience.action_label)
        return actions


def compose(modeladmin, request, queryset, audience: messages.Audience):
    """The form, then the preview with the count, then the letters queued."""
    if not may_send(request):
        raise PermissionDenied
    step = request.POST.get("step", "")
    form = MessageForm(
        request.POST if step else None,
        groups=audience.groups,
        initial={"key": site_mail.new_key()},
    )
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": audience.action_label,
        "form": form,
        "entries": queryset,
        "action": request.POST.get("action", ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    if step in ("preview", "send") and form.is_valid():
        group = form.cleaned_data["group"]
        recipients = audience.recipients(queryset, group)
        if step == "send":
            return _send(modeladmin, request, queryset, audience, form, recipients)
        context.update(_preview(audience, form, recipients))
        return TemplateResponse(request, "admin/message_preview.html", context)
    return TemplateResponse(request, "admin/message_form.html", context)


def _preview(audience, form, recipients) -> dict:
    counts = messages.languages(recipients)
    total = sum(counts.values())
    russian = counts.get("ru", 0)
    draft = form.draft()
    return {
        "total": total,
        "count_line": ngettext(
            "Will be sent to %(total)d person: %(ru)d in Russian, %(en)d in English.",
            "Will be sent to %(total)d people: %(ru)d in Russian, %(en)d in English.",
            total,
        )
        % {"total": total, "ru": russian, "en": total - russian},
        "group_label": audience.groups[form.cleaned_data["group"]],
        "letters": [
            (label, messages.build(draft, audience, to="", language=language))
            for language, label in (("ru", _("In Russian")), ("en", _("In English")))
        ],
    }


def _send(modeladmin, request, queryset, audience, form, recipients):
    message, created = messages.send(
        audience,
        recipients,
        form.draft(),
        group=form.cleaned_data["group"],
        key=form.cleaned_data["key"],
        about=", ".join(str(entry) for entry in queryset[:20]),
        sent_by=request.user,
    )
    if not created:
        modeladmin.message_user(
            request,
            gettext("This message was sent already: nobody is written to twice."),
            notices.WARNING,
        )
        return None
    count = message.recipients.count()
    modeladmin.message_user(
        request,
        ngettext(
            "The message is on its way to %(count)d person.",
            "The message is on its way to %(count)d people.",
            count,
        )
        % {"count": count},
        notices.SUCCESS,
    )
    return None
