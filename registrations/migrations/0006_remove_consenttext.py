from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0005_consent_text_moves_to_site"),
        ("events", "0006_consent_text_moves_to_site"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ConsentText")],
            database_operations=[],
        ),
    ]
