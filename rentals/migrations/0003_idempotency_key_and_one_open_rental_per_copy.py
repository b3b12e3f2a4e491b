# Written by hand: Django's CreateModel for the idempotency-key table, plus a partial unique
# index on Pagila's (unmanaged) rental table so that a copy can have at most one open rental.
# Pagila v3.1.0 has no copy with two open rentals, so the index builds on the real data.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('rentals', '0002_streaming_subscription'),
    ]

    operations = [
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
            options={
                'db_table': 'api_idempotency_key',
            },
        ),
        migrations.RunSQL(
            sql=(
                "CREATE UNIQUE INDEX rental_one_open_per_inventory "
                "ON rental (inventory_id) WHERE return_date IS NULL"
            ),
            reverse_sql="DROP INDEX IF EXISTS rental_one_open_per_inventory",
        ),
    ]
