"""A one-row catalogue version, bumped by triggers whenever the film list could change.

The film list's response cache (films.page_cache) keys its entries by this version and reads it
on every request, so every worker's answer stays exact. Statement-level triggers on the four
tables a list row is made of (film, film_category, category, language) set it to the writing
transaction's id and the next value of a sequence: the new version becomes visible exactly when
the change commits, and no version is ever issued twice (sequences ignore rollbacks, and
transaction ids grow across every database of the server, so a reloaded database cannot reuse
an old one either).
"""

from django.db import migrations

TABLES = ("film", "film_category", "category", "language")

CREATE = [
    "CREATE SEQUENCE films_catalogue_version_seq",
    """
    CREATE TABLE films_catalogue_version (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        xact bigint NOT NULL,
        seq bigint NOT NULL
    )
    """,
    "INSERT INTO films_catalogue_version (xact, seq) "
    "VALUES (pg_current_xact_id()::text::bigint, nextval('films_catalogue_version_seq'))",
    """
    CREATE FUNCTION films_catalogue_bump() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE films_catalogue_version
        SET xact = pg_current_xact_id()::text::bigint,
            seq = nextval('films_catalogue_version_seq');
        RETURN NULL;
    END
    $$
    """,
    *(
        f"CREATE TRIGGER films_catalogue_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION films_catalogue_bump()"
        for table in TABLES
    ),
]
DROP = [
    *(f"DROP TRIGGER IF EXISTS films_catalogue_bump ON {table}" for table in TABLES),
    "DROP FUNCTION IF EXISTS films_catalogue_bump()",
    "DROP TABLE IF EXISTS films_catalogue_version",
    "DROP SEQUENCE IF EXISTS films_catalogue_version_seq",
]


class Migration(migrations.Migration):
    dependencies = [("films", "0002_film_streaming_available")]

    operations = [migrations.RunSQL(sql=CREATE, reverse_sql=DROP)]
