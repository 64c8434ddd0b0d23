import registrations.models
from django.db import migrations, models


def fill_confirmation_keys(apps, schema_editor):
    Registration = apps.get_model("registrations", "Registration")
    for registration in Registration.objects.filter(confirmation_key=""):
        registration.confirmation_key = registrations.models.new_token()
        registration.save(update_fields=["confirmation_key"])


class Migration(migrations.Migration):

    dependencies = [
        ("registrations", "0002_organisers_permissions"),
    ]

    operations = [
        # Added empty, filled one by one, then made unique: existing rows each get
        # their own key.
        migrations.AddField(
            model_name="registration",
            name="confirmation_key",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="confirmation key"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_confirmation_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="registration",
            name="confirmation_key",
            field=models.CharField(
                default=registrations.models.new_token,
                editable=False,
                max_length=64,
                unique=True,
                verbose_name="confirmation key",
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="pending_email",
            field=models.CharField(
                blank=True,
                choices=[
                    ("confirm_address", "confirm the e-mail address"),
                    ("seat", "seat confirmed"),
                    ("waiting", "on the waiting list"),
                    ("promoted", "seat from the waiting list"),
                    ("cancelled", "cancelled"),
                    ("reminder", "reminder"),
                    ("already_registered", "already registered"),
                ],
                editable=False,
                help_text="The mail server refused it; send_pending_emails tries again.",
                max_length=20,
                verbose_name="e-mail to send again",
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="email_failed_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="e-mail failed"
            ),
        ),
    ]
