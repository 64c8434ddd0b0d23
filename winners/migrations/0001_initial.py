# The contest winners organisers enter, published only with their consent (issue 27).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('events', '0015_material_random_file_names'),
    ]

    operations = [
        migrations.CreateModel(
            name='Winner',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('company', 'company'), ('person', 'person')], max_length=10, verbose_name='kind')),
                ('name', models.CharField(help_text="A company's name, or a person's full name.", max_length=300, verbose_name='name')),
                ('name_en', models.CharField(blank=True, max_length=300, verbose_name='name in English')),
                ('nomination', models.CharField(max_length=300, verbose_name='nomination')),
                ('nomination_en', models.CharField(blank=True, max_length=300, verbose_name='nomination in English')),
                ('photo', models.ImageField(blank=True, upload_to='winners/photos/', verbose_name='photo')),
                ('photo_thumbnail', models.ImageField(blank=True, editable=False, upload_to='winners/photos/', verbose_name='photo thumbnail')),
                ('text', models.TextField(blank=True, max_length=1000, verbose_name='short text')),
                ('text_en', models.TextField(blank=True, max_length=1000, verbose_name='short text in English')),
                ('order', models.PositiveSmallIntegerField(default=0, help_text='Lower numbers are listed first.', verbose_name='order')),
                ('email', models.EmailField(blank=True, help_text='Not published. How a request of the person about their data finds this entry.', max_length=254, verbose_name='contact e-mail')),
                ('publication_consent_given_at', models.DateTimeField(blank=True, help_text='When the winner (for a company, the person it names or shows) signed the separate consent to publish. Without it the winner is shown nowhere.', null=True, verbose_name='consent to publish given')),
                ('publication_consent_document', models.FileField(blank=True, help_text='A scan of the signed consent. Never published.', upload_to='winners/consents/', verbose_name='signed consent to publish')),
                ('publication_consent_withdrawn_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='consent to publish withdrawn')),
                ('erased_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='data erased')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('award_event', models.ForeignKey(blank=True, help_text='The event at which the award is presented; its page lists it.', limit_choices_to={'kind': 'awards'}, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='winners', to='events.event', verbose_name='awards ceremony')),
                ('edition', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='winners', to='events.edition', verbose_name='edition')),
                ('region', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='winners', to='events.region', verbose_name='region')),
            ],
            options={
                'verbose_name': 'contest winner',
                'verbose_name_plural': 'contest winners',
                'ordering': ['order', 'name'],
                'constraints': [models.CheckConstraint(condition=models.Q(('publication_consent_withdrawn_at__isnull', True), ('publication_consent_given_at__isnull', False), _connector='OR'), name='winner_withdrawn_consent_was_given')],
            },
        ),
    ]
