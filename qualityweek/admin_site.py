"""The organisers' admin site: sign-in with a code, and setting up the app."""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_static.models import StaticDevice

from . import two_factor
from .messages_admin import WritesMessages

TOKEN_WIDGET = forms.TextInput(
    attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
)


class AdminLoginForm(OTPAuthenticationFormMixin, AdminAuthenticationForm):
    """Password, then the app's code for anyone who has set up the app."""

    otp_device = forms.CharField(label=_("Device"), required=False, widget=forms.Select)
    otp_token = forms.CharField(
        label=_("Code from the authenticator app"),
        required=False,
        widget=TOKEN_WIDGET,
        help_text=_(
            "Six digits, or one of your recovery codes; leave empty if you have "
            "not set up the app yet."
        ),
    )
    otp_challenge = forms.CharField(required=False)

    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": _("Enter the six-digit code from your authenticator app."),
        "invalid_token": _(
            "The code is not right. Check that the time on your phone is correct "
            "and try again."
        ),
        "n_failed_attempts": ngettext_lazy(
            "Codes are paused after %(failure_count)d wrong code; try again soon.",
            "Codes are paused after %(failure_count)d wrong codes; try again soon.",
            "failure_count",
        ),
        "verification_not_allowed": _("Codes are paused; try again soon."),
        "device_required": _("Choose the device whose code you entered."),
    }

    def clean_otp_token(self):
        return two_factor.normalise_code(self.cleaned_data.get("otp_token"))

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and two_factor.has_device(user):
            self.clean_otp(user)
        return cleaned_data

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None:
            # Most people have one phone: its code needs no choosing; a recovery
            # code is told from the app's code by its letters.
            recovery = two_factor.is_recovery_code(self.cleaned_data.get("otp_token"))
            devices = [
                device
                for device in devices_for_user(user, for_verify=True)
                if isinstance(device, StaticDevice) == recovery
            ]
            if len(devices) == 1:
                device = devices[0]
        return device


class EnrolForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code the app shows now"), widget=TOKEN_WIDGET, max_length=10
    )


@dataclass(frozen=True)
class AdminView:
    """An app's own page on the organisers' site, linked from its index."""

    path: str  # under /admin/: "dashboard/"
    view: Callable  # (admin_site, request) -> response
    name: str  # its URL name in the admin's namespace: "dashboard"
    permission: str  # who sees its link: "registrations.view_registration"
    caption: str  # the index's heading of its link
    title: str
    description: str


class OrganisersAdminSite(admin.AdminSite):
    """Django's admin, which with QUALITYWEEK_ADMIN_2FA opens only after a code."""

    login_form = AdminLoginForm
    login_template = "admin/login_with_code.html"

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every model's date-time fields are labelled in Moscow time (MoscowTime);
        # a list whose rows name an audience offers to write to it.
        admin_class = in_moscow_time(admin_class or admin.ModelAdmin)
        admin_class = writing_messages(admin_class)
        super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request):
        return super().has_permission(request) and two_factor.passes(request.user)

    def login(self, request, extra_context=None):
        if request.method == "GET" and two_factor.must_enrol(request.user):
            return redirect(_with_next(reverse("admin:two_factor"), request))
        return super().login(request, extra_context)

    def __init__(self, name="admin"):
        super().__init__(name)
        self._views: dict[str, AdminView] = {}

    def register_view(self, path: str, view, **options) -> None:
        """Add an app's own page (a dashboard) to the site and its index: apps
        call `admin.site.register_view(...)` from their `AppConfig.ready()`, so
        the site imports none of them. `options` are AdminView's other fields."""
        self._views[options["name"]] = AdminView(path, view=view, **options)

    def get_urls(self):
        return [
            path("two-factor/", never_cache(self.two_factor), name="two_factor"),
            path(
                "two-factor/recovery-codes/",
                self.admin_view(self.recovery_codes),
                name="recovery_codes",
            ),
            *(
                path(
                    view.path,
                    self.admin_view(functools.partial(view.view, self)),
                    name=view.name,
                )
                for view in self._views.values()
            ),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        views = [
            {
                "caption": view.caption,
                "title": view.title,
                "description": view.description,
                "url": reverse(f"{self.name}:{view.name}", current_app=self.name),
            }
            for view in self._views.values()
            if request.user.has_perm(view.permission)
        ]
        return super().index(request, {"app_views": views, **(extra_context or {})})

    def two_factor(self, request):
        """Set up an authenticator app: scan the code, then type what it shows."""
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not two_factor.may_enrol(user):
            raise PermissionDenied(
                gettext("Sign in with the code from your app to add another device.")
            )
        device = two_factor.pending_device(user)
        form = EnrolForm(request.POST or None)
        if form.is_valid():
            if two_factor.confirm(device, form.cleaned_data["otp_token"]):
                otp_login(request, device)
                messages.success(
                    request,
                    gettext("Two-factor sign-in is on: from now on give the code."),
                )
                return self.show_recovery_codes(
                    request, _next_url(request) or reverse("admin:index")
                )
            form.add_error(
                "otp_token",
                AdminLoginForm.otp_error_messages["invalid_token"],
            )
        return TemplateResponse(
            request,
            "admin/two_factor.html",
            {
                **self.each_context(request),
                "title": gettext("Two-factor sign-in"),
                "form": form,
                "qr_code": mark_safe(two_factor.qr_svg(device)),  # SVG made here
                "secret": two_factor.secret(device),
                "required": two_factor.required(),
                "next": _next_url(request),
            },
        )

    def recovery_codes(self, request):
        """How many recovery codes are left, and new ones on request (POST)."""
        if not two_factor.is_verified(request.user):
            raise PermissionDenied(
                gettext("Sign in with the code from your app to make recovery codes.")
            )
        if request.method == "POST":
            return self.show_recovery_codes(request, reverse("admin:index"))
        return TemplateResponse(
            request,
            "admin/recovery_codes.html",
            {
                **self.each_context(request),
                "title": gettext("Recovery codes"),
                "left": two_factor.recovery_codes_left(request.user),
            },
        )

    def show_recovery_codes(self, request, next_url: str):
        """New recovery codes, shown this once: never stored where they show."""
        return TemplateResponse(
            request,
            "admin/recovery_codes.html",
            {
                **self.each_context(request),
                "title": gettext("Recovery codes"),
                "codes": two_factor.new_recovery_codes(request.user),
                "next": next_url,
            },
        )


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _with_next(url: str, request) -> str:
    target = _next_url(request)
    return f"{url}?{urlencode({'next': target})}" if target else url


class MoscowTime:
    """Every date and time an organiser types is Moscow time, whatever the zone of
    their computer: each such field says so in its label. (Django's admin would
    instead tell someone in Vladivostok that they are 7 hours ahead of the
    server, which invites typing local times; base_site.html hides that note.)"""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.DateTimeField) and formfield is not None:
            formfield.label = format_lazy("{} ({})", formfield.label, _("Moscow time"))
        return formfield


def in_moscow_time(admin_class):
    """The admin class (and its inlines) with MoscowTime mixed in, once."""
    if issubclass(admin_class, MoscowTime):
        return admin_class
    attrs = {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__}
    if getattr(admin_class, "inlines", None):
        attrs["inlines"] = [in_moscow_time(inline) for inline in admin_class.inlines]
    return type(admin_class.__name__, (MoscowTime, admin_class), attrs)


def writing_messages(admin_class):
    """The admin class with the organisers' messages' actions (WritesMessages)."""
    if issubclass(admin_class, WritesMessages):
        return admin_class
    attrs = {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__}
    return type(admin_class.__name__, (WritesMessages, admin_class), attrs)
