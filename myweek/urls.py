from django.urls import path, register_converter

from . import views


class TokenConverter:
    regex = r"[A-Za-z0-9_-]{20,64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(TokenConverter, "weektoken")

app_name = "myweek"
urlpatterns = [
    path("my/", views.my_week, name="mine"),
    path("my/add/", views.add, name="add"),
    path("my/<weektoken:token>/", views.SelectionView.as_view(), name="detail"),
    path("my/<weektoken:token>.ics", views.selection_ics, name="ics"),
    path("my/<weektoken:token>/remove/", views.remove, name="remove"),
    path("my/<weektoken:token>/clear/", views.clear, name="clear"),
    path("my/<weektoken:token>/use/", views.use_here, name="use"),
    path("my/<weektoken:token>/send/", views.send_link, name="send"),
]
