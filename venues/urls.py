from django.urls import path

from qualityweek import converters  # noqa: F401  (registers <signed:…>)

from . import views

app_name = "venues"
urlpatterns = [
    path(
        "regional-venues/new/",
        views.VenueApplicationCreateView.as_view(),
        name="new",
    ),
    path("regional-venues/sent/", views.SubmittedView.as_view(), name="submitted"),
    path(
        "regional-venues/<signed:signed>/",
        views.VenuePageView.as_view(),
        name="page",
    ),
]
