"""The catalogue's Pagila tables as unmanaged models.

Started from `manage.py inspectdb` and edited by hand: the `mpaa_rating` enum as choices, the
`year` domain as an integer, `special_features` as text[], `fulltext` as tsvector, composite
primary keys on the join tables. `last_update` is always left to Pagila's default and triggers.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from pagila_site.pagila.fields import LastUpdateField


class Rating(models.TextChoices):
    """Pagila's `mpaa_rating` enum, in its order from mildest to strictest."""

    G = "G", "G"
    PG = "PG", "PG"
    PG_13 = "PG-13", "PG-13"
    R = "R", "R"
    NC_17 = "NC-17", "NC-17"


class Language(models.Model):
    language_id = models.AutoField(primary_key=True)
    name = models.CharField(max_length=20)
    last_update = LastUpdateField()

    class Meta:
        managed = False
        db_table = "language"
        ordering = ["language_id"]

    def __str__(self) -> str:
        return self.name.strip()


class Category(models.Model):
    category_id = models.AutoField(primary_key=True)
    name = models.TextField()
    last_update = LastUpdateField()

    class Meta:
        managed = False
        db_table = "category"
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Actor(models.Model):
    actor_id = models.AutoField(primary_key=True)
    first_name = models.TextField()
    last_name = models.TextField()
    last_update = LastUpdateField()

    class Meta:
        managed = False
        db_table = "actor"
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Film(models.Model):
    film_id = models.AutoField(primary_key=True)
    title = models.TextField()
    description = models.TextField(blank=True, null=True)
    release_year = models.IntegerField(blank=True, null=True)  # Pagila's `year` domain
    language = models.ForeignKey(Language, models.DO_NOTHING, related_name="films")
    original_language = models.ForeignKey(
        Language, models.DO_NOTHING, related_name="original_films", blank=True, null=True
    )
    rental_duration = models.SmallIntegerField(default=3)
    rental_rate = models.DecimalField(max_digits=4, decimal_places=2, default="4.99")
    length = models.SmallIntegerField(blank=True, null=True)
    replacement_cost = models.DecimalField(max_digits=5, decimal_places=2, default="19.99")
    rating = models.TextField(choices=Rating.choices, default=Rating.G, blank=True, null=True)
    special_features = ArrayField(models.TextField(), blank=True, null=True)
    # Kept in sync by Pagila's film_fulltext_trigger; backs full-text search via a GiST index.
    fulltext = SearchVectorField(editable=False, null=True)
    streaming_available = models.BooleanField(default=False, db_default=False)
    last_update = LastUpdateField()
    categories: models.ManyToManyField[Category, FilmCategory] = models.ManyToManyField(
        Category, through="FilmCategory", related_name="films"
    )
    actors: models.ManyToManyField[Actor, FilmActor] = models.ManyToManyField(
        Actor, through="FilmActor", related_name="films"
    )

    class Meta:
        managed = False
        db_table = "film"
        ordering = ["film_id"]

    def __str__(self) -> str:
        return self.title


class FilmCategory(models.Model):
    pk = models.CompositePrimaryKey("film_id", "category_id")
    film = models.ForeignKey(Film, models.DO_NOTHING)
    category = models.ForeignKey(Category, models.DO_NOTHING)
    last_update = LastUpdateField()

    class Meta:
        managed = False
        db_table = "film_category"

    def __str__(self) -> str:
        return f"film {self.film_id} in category {self.category_id}"


class FilmActor(models.Model):
    pk = models.CompositePrimaryKey("actor_id", "film_id")
    actor = models.ForeignKey(Actor, models.DO_NOTHING)
    film = models.ForeignKey(Film, models.DO_NOTHING)
    last_update = LastUpdateField()

    class Meta:
        managed = False
        db_table = "film_actor"

    def __str__(self) -> str:
        return f"actor {self.actor_id} in film {self.film_id}"
