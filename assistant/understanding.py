"""Offline questions read for filters (category, rating, price, length, actor) and their films."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from films import selectors
from films.models import Actor, Category, Film

# "rated pg-13", or a rating that can only be one (PG, PG-13, NC-17 in capitals).
RATED = re.compile(r"\brated\s+(nc-17|pg-13|pg|g|r)\b|\b(NC-17|PG-13|PG)\b", re.IGNORECASE)
# "under $1", "below $2.99", "less than 3 dollars", "cheaper than $1".
PRICE = re.compile(
    r"\b(?:under|below|less than|cheaper than)\s*(?:\$\s*(\d+(?:\.\d{1,2})?)|"
    r"(\d+(?:\.\d{1,2})?)\s*dollars?\b)",
    re.IGNORECASE,
)
# "shorter than 60 minutes", "under 90 min"; "longer than 2 hours" is not read (minutes only).
SHORTER = re.compile(r"\b(?:shorter than|under|less than)\s+(\d{1,3})\s*min", re.IGNORECASE)
LONGER = re.compile(r"\b(?:longer than|over|more than)\s+(\d{1,3})\s*min", re.IGNORECASE)
# Category names too common in questions to mean the category ("new films").
AMBIGUOUS_CATEGORIES = frozenset({"new"})


@dataclass
class Understood:
    """The filters read from a question; none of them: nothing was understood."""

    category: str | None = None
    rating: str | None = None
    under_price: Decimal | None = None
    shorter_than: int | None = None
    longer_than: int | None = None
    actors: list[Actor] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(
            (self.category, self.rating, self.under_price, self.shorter_than, self.longer_than)
        ) or bool(self.actors)

    def describe(self) -> str:
        """What was understood, as the answer states it: "Comedy, rated PG, under $1.00"."""
        parts = [self.category] if self.category else []
        if self.actors:
            parts.append("starring " + " and ".join(str(actor) for actor in self.actors))
        if self.rating:
            parts.append(f"rated {self.rating}")
        if self.under_price is not None:
            parts.append(f"under ${self.under_price:.2f}")
        if self.shorter_than is not None:
            parts.append(f"shorter than {self.shorter_than} minutes")
        if self.longer_than is not None:
            parts.append(f"longer than {self.longer_than} minutes")
        text = ", ".join(parts)
        return text[:1].upper() + text[1:]

    def films(self) -> QuerySet[Film]:
        """The films these filters select, through the film list's own selectors."""
        films = selectors.film_list(
            category=self.category, ratings=[self.rating] if self.rating else None
        )
        for actor in self.actors:
            films = selectors.films_with_actor(films, actor.actor_id)
        if self.under_price is not None:
            films = films.filter(rental_rate__lt=self.under_price)
        if self.shorter_than is not None:
            films = films.filter(length__lt=self.shorter_than)
        if self.longer_than is not None:
            films = films.filter(length__gt=self.longer_than)
        return films


def _category(question: str) -> str | None:
    words = {word.lower() for word in re.findall(r"[\w-]+", question)}
    for name in Category.objects.order_by("name").values_list("name", flat=True):
        lower = name.lower()
        forms = {lower, f"{lower}s", f"{lower[:-1]}ies" if lower.endswith("y") else lower}
        if lower not in AMBIGUOUS_CATEGORIES and words & forms:
            return str(name)
    return None


def understand(question: str) -> Understood:
    """Read the filters a question states (one database query for categories, one for actors)."""
    understood = Understood(category=_category(question))
    if match := RATED.search(question):
        understood.rating = (match.group(1) or match.group(2)).upper()
    if match := PRICE.search(question):
        understood.under_price = Decimal(match.group(1) or match.group(2))
    if match := SHORTER.search(question):
        understood.shorter_than = int(match.group(1))
    if match := LONGER.search(question):
        understood.longer_than = int(match.group(1))
    understood.actors = list(selectors.actors_named_in(question))
    return understood
