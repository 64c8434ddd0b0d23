from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("survey/<token:token>/", views.SurveyView.as_view(), name="answer"),
]
