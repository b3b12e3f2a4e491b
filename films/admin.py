"""The catalogue in the staff back office."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, QuerySet
from django.http import HttpRequest

from films.models import Actor, Category, Film, Language
from pagila_site.pagila.admin_base import BrowseOnlyAdmin, PagilaModelAdmin


@admin.register(Film)
class FilmAdmin(PagilaModelAdmin):
    """Films: streaming availability is edited in the list or in bulk; categories are shown."""

    list_display = (
        "title",
        "rating",
        "rental_rate",
        "length",
        "category_list",
        "streaming_available",
    )
    list_editable = ("streaming_available",)
    list_filter = ("rating", "categories", "streaming_available")
    search_fields = ("title", "description")
    actions = ("mark_streaming_available", "mark_streaming_unavailable")
    readonly_fields = ("category_list", "actor_list", "last_update")
    fields = (
        "title",
        "description",
        "release_year",
        "language",
        "original_language",
        "rental_duration",
        "rental_rate",
        "length",
        "replacement_cost",
        "rating",
        "special_features",
        "streaming_available",
        "category_list",
        "actor_list",
        "last_update",
    )
    # A page of films; the paginator's count runs once (no second unfiltered count).
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Film]:
        names = Category.objects.filter(films=OuterRef("pk")).order_by("name").values("name")
        films: QuerySet[Film] = super().get_queryset(request).defer("fulltext")
        annotated: QuerySet[Film] = films.annotate(category_names=ArraySubquery(names))
        return annotated

    @admin.display(description="categories")
    def category_list(self, film: Film) -> str:
        names = getattr(film, "category_names", None)
        if names is None:
            names = [category.name for category in film.categories.order_by("name")]
        return ", ".join(names)

    @admin.display(description="actors")
    def actor_list(self, film: Film) -> str:
        return ", ".join(str(actor) for actor in film.actors.order_by("last_name", "first_name"))

    @admin.action(description="Mark selected films available for streaming")
    def mark_streaming_available(self, request: HttpRequest, queryset: QuerySet[Film]) -> None:
        self._set_streaming(request, queryset, available=True)

    @admin.action(description="Mark selected films not available for streaming")
    def mark_streaming_unavailable(self, request: HttpRequest, queryset: QuerySet[Film]) -> None:
        self._set_streaming(request, queryset, available=False)

    def _set_streaming(
        self, request: HttpRequest, queryset: QuerySet[Film], *, available: bool
    ) -> None:
        count = queryset.update(streaming_available=available)
        state = "available" if available else "not available"
        self.message_user(
            request, f"{count} film(s) marked {state} for streaming.", messages.SUCCESS
        )


@admin.register(Category)
class CategoryAdmin(BrowseOnlyAdmin):
    """The 16 categories."""

    list_display = ("name", "last_update")
    search_fields = ("name",)


@admin.register(Language)
class LanguageAdmin(BrowseOnlyAdmin):
    """The film languages."""

    list_display = ("name", "last_update")
    search_fields = ("name",)


@admin.register(Actor)
class ActorAdmin(BrowseOnlyAdmin):
    """Actors, searched by name; the change page lists their films."""

    list_display = ("first_name", "last_name", "last_update")
    search_fields = ("first_name", "last_name")
    readonly_fields = ("film_list", "last_update")
    fields = ("first_name", "last_name", "film_list", "last_update")

    @admin.display(description="films")
    def film_list(self, actor: Actor) -> str:
        return ", ".join(film.title for film in actor.films.order_by("title"))
