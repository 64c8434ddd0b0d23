from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SCORES, SurveyQuestion


class SurveyForm(forms.Form):
    """The edition's questions: a scale of 1 to 5 or a free text each."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            if question.kind == SurveyQuestion.Kind.SCALE:
                field = forms.TypedChoiceField(
                    choices=[(score, str(score)) for score in SCORES],
                    coerce=int,
                    widget=forms.RadioSelect,
                    help_text=_("1 — very poor, 5 — excellent"),
                )
            else:
                field = forms.CharField(
                    max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
                )
            field.label = question.text_i18n
            field.required = question.required
            self.fields[self.field_name(question)] = field
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            *(
                InlineRadios(self.field_name(question))
                if question.kind == SurveyQuestion.Kind.SCALE
                else Field(self.field_name(question))
                for question in questions
            )
        )
        self.helper.add_input(Submit("submit", _("Send the answers")))

    @staticmethod
    def field_name(question: SurveyQuestion) -> str:
        return f"question_{question.pk}"

    def answers(self) -> dict:
        """{question: score or text} of what was answered."""
        return {
            question: self.cleaned_data.get(self.field_name(question))
            for question in self.questions
        }
