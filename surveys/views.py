"""A person's survey after an event: their link, no account, answered once."""

from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import FormView

from . import services
from .forms import SurveyForm
from .models import SurveyInvitation


@method_decorator(never_cache, name="dispatch")
class SurveyView(FormView):
    form_class = SurveyForm
    template_name = "surveys/survey_form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.invitation = get_object_or_404(
            SurveyInvitation.objects.select_related("event"), token=kwargs["token"]
        )
        self.questions = services.questions_of(self.invitation)

    def dispatch(self, request, *args, **kwargs):
        if self.invitation.answered_at is not None:
            return self.thanks(already=True)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "questions": self.questions}

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.invitation.event, **kwargs)

    def form_valid(self, form):
        try:
            services.answer(self.invitation, form.answers())
        except services.SurveyError:
            return self.thanks(already=True)
        return self.thanks(already=False)

    def thanks(self, *, already: bool):
        return render(
            self.request,
            "surveys/survey_thanks.html",
            {"event": self.invitation.event, "already": already},
        )
