from django.urls import path

from qualityweek import converters  # noqa: F401  (registers <token:…>, <signed:…>)

from .views import checkin, signup, ticket

app_name = "registrations"
urlpatterns = [
    path("regional-day/", signup.RegionalDayView.as_view(), name="regional_day"),
    path(
        "regional-day/online/",
        signup.RegionalDayOnlineView.as_view(),
        name="regional_day_online",
    ),
    path(
        "events/<slug:slug>/register/",
        signup.RegisterView.as_view(),
        name="register",
    ),
    path(
        "events/<slug:slug>/online/",
        signup.OnlineRegisterView.as_view(),
        name="online",
    ),
    path(
        "registrations/check-email/",
        signup.CheckEmailView.as_view(),
        name="check_email",
    ),
    path(
        "registrations/confirm/<signed:signed>/",
        signup.ConfirmView.as_view(),
        name="confirm",
    ),
    path(
        "registrations/<token:token>/",
        ticket.RegistrationDetailView.as_view(),
        name="detail",
    ),
    path(
        "registrations/<token:token>/email/",
        ticket.CorrectRefusedEmailView.as_view(),
        name="correct_email",
    ),
    path(
        "registrations/<token:token>/qr.svg",
        ticket.TicketQrView.as_view(),
        name="qr",
    ),
    path(
        "registrations/<token:token>/ticket.pdf",
        ticket.TicketPdfView.as_view(),
        name="ticket_pdf",
    ),
    path(
        "registrations/<token:token>/cancel/",
        ticket.CancelView.as_view(),
        name="cancel",
    ),
    path("checkin/", checkin.CheckinView.as_view(), name="checkin"),
    path(
        "checkin/<str:code>/",
        checkin.CheckinTicketView.as_view(),
        name="checkin_ticket",
    ),
]
