"""Add film.streaming_available to Pagila's (unmanaged) film table."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("films", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql="ALTER TABLE film ADD COLUMN streaming_available BOOLEAN NOT NULL DEFAULT FALSE",
                    reverse_sql="ALTER TABLE film DROP COLUMN streaming_available",
                )
            ],
            state_operations=[
                migrations.AddField(
                    model_name="film",
                    name="streaming_available",
                    field=models.BooleanField(db_default=False, default=False),
                )
            ],
        )
    ]
