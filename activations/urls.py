from django.urls import path

from qualityweek import converters  # noqa: F401  (registers <signed:…>)

from . import views

app_name = "activations"
urlpatterns = [
    path("activations/", views.ActivationListView.as_view(), name="list"),
    path("activations/new/", views.ActivationCreateView.as_view(), name="new"),
    path("activations/sent/", views.SubmittedView.as_view(), name="submitted"),
    path(
        "activations/edit/<signed:signed>/",
        views.ActivationEditView.as_view(),
        name="edit",
    ),
    path(
        "activations/<slug:slug>/", views.ActivationDetailView.as_view(), name="detail"
    ),
    path("activations/<slug:slug>.ics", views.activation_ics, name="ics"),
    path(
        "activations/<slug:slug>/poster.pdf",
        views.activation_poster,
        name="poster",
    ),
    path("activations/<slug:slug>/card.png", views.activation_card, name="card"),
]
