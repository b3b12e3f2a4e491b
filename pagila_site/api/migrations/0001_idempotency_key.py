# Written by hand: the idempotency-key model, taken over from rentals (its migration 0003 made
# the table, 0004 let go of the model). Only Django's state changes: the table stays as it is.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('rentals', '0004_idempotency_key_moves_to_the_api'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='IdempotencyKey',
                    fields=[
                        ('key', models.CharField(max_length=255, primary_key=True, serialize=False)),
                        ('fingerprint', models.CharField(max_length=64)),
                        ('response_status', models.PositiveSmallIntegerField()),
                        ('response_body', models.TextField()),
                        ('response_content_type', models.CharField(blank=True, max_length=100)),
                        ('response_location', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField()),
                        ('expires_at', models.DateTimeField(db_index=True)),
                    ],
                    options={'db_table': 'api_idempotency_key'},
                ),
            ],
            database_operations=[],
        ),
    ]
