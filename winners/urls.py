from django.urls import path

from . import views

app_name = "winners"
urlpatterns = [
    path("winners/", views.WinnerListView.as_view(), name="list"),
    # As /<year>/schedule.xml: /winners/<number>/ is already a winner's page.
    path("<int:year>/winners/", views.EditionWinnerListView.as_view(), name="edition"),
    path("winners/<int:pk>/", views.WinnerDetailView.as_view(), name="detail"),
    path("winners/<int:pk>/photo.jpg", views.photo, name="photo"),
]
