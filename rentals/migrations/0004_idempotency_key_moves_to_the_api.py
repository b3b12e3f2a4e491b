# Written by hand: the idempotency-key model now belongs to pagila_site.api (app label "api"),
# whose migration 0001 takes it over. Only Django's state changes: the table stays as it is.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('rentals', '0003_idempotency_key_and_one_open_rental_per_copy'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='IdempotencyKey')],
            database_operations=[],
        ),
    ]
