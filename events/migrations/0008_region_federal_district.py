from django.db import migrations, models

from events.regions_data import FEDERAL_DISTRICTS


def add_federal_districts(apps, schema_editor):
    Region = apps.get_model("events", "Region")
    for district, codes in FEDERAL_DISTRICTS.items():
        Region.objects.filter(code__in=codes).update(federal_district=district)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_materials"),
    ]

    operations = [
        migrations.AddField(
            model_name="region",
            name="federal_district",
            field=models.CharField(
                blank=True,
                choices=[
                    ("central", "Central Federal District"),
                    ("northwestern", "Northwestern Federal District"),
                    ("southern", "Southern Federal District"),
                    ("north_caucasian", "North Caucasian Federal District"),
                    ("volga", "Volga Federal District"),
                    ("ural", "Ural Federal District"),
                    ("siberian", "Siberian Federal District"),
                    ("far_eastern", "Far Eastern Federal District"),
                ],
                max_length=20,
                verbose_name="federal district",
            ),
        ),
        migrations.RunPython(add_federal_districts, migrations.RunPython.noop),
    ]
