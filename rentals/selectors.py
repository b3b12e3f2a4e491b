"""Reads that span tables: one rental, customers by name, a customer's rentals, a film's copies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.db.models import Count, Exists, FilteredRelation, OuterRef, Q, QuerySet

from films.models import Film
from films.selectors import film_detail
from pagila_site.pagila.fields import is_pg_int_id
from rentals.errors import CustomerNotFound, RentalNotFound
from rentals.models import Customer, Rental, RentalQuerySet, Store

RentalStatus = Literal["open", "returned"]


def rental_queryset() -> RentalQuerySet:
    """Rentals with what their representation shows (the copy's film and store) in one query."""
    return Rental.objects.select_related("inventory__film")


def rental_get(*, rental_id: int) -> Rental:
    """The rental with this id; RentalNotFound otherwise."""
    rental = rental_queryset().filter(pk=rental_id).first() if is_pg_int_id(rental_id) else None
    if rental is None:
        raise RentalNotFound(rental_id)
    return rental


def check_customer_exists(customer_id: int) -> None:
    """CustomerNotFound unless a customer has this id."""
    if not (is_pg_int_id(customer_id) and Customer.objects.filter(pk=customer_id).exists()):
        raise CustomerNotFound(customer_id)


def customer_search(*, text: str) -> QuerySet[Customer]:
    """Customers whose first name, last name or email hold each word of `text` (any case), by id.

    The back office's customer search (CustomerAdmin.search_fields) matches the same way:
    "mary smith" and "MARY.SMITH@sakilacustomer.org" both find MARY SMITH.
    """
    customers = Customer.objects.order_by("customer_id")
    for word in text.split():
        customers = customers.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return customers


def customer_rental_list(
    *, customer_id: int, status: RentalStatus | None = None
) -> QuerySet[Rental]:
    """A customer's rentals, newest first, optionally only open or only returned ones.

    Raises CustomerNotFound when the customer does not exist (an empty history is a real answer).
    """
    check_customer_exists(customer_id)
    rentals = rental_queryset().filter(customer_id=customer_id)
    if status == "open":
        rentals = rentals.open()
    elif status == "returned":
        rentals = rentals.filter(return_date__isnull=False)
    return rentals.order_by("-rental_date", "-rental_id")


@dataclass(frozen=True)
class StoreStock:
    """How many copies of a film one store holds, and how many of them are not rented out."""

    store_id: int
    copies: int
    in_stock: int


def film_stock(*, film_id: int) -> list[StoreStock]:
    """Copies and copies in stock of one film at every store (zeros included), in one query."""
    film_copies = FilteredRelation("inventory", condition=Q(inventory__film_id=film_id))
    rented_out = Exists(Rental.objects.open().filter(inventory=OuterRef("film_copies")))
    stores = (
        Store.objects.order_by("store_id")
        .annotate(film_copies=film_copies)
        .annotate(
            copies=Count("film_copies"),
            in_stock=Count("film_copies", filter=~rented_out),
        )
        .values_list("store_id", "copies", "in_stock")
    )
    return [StoreStock(*row) for row in stores]


def film_with_stock(*, film_id: int) -> Film:
    """films.selectors.film_detail with `stock`, the film's copies at every store: 3 queries."""
    film = film_detail(film_id)
    film.stock = film_stock(film_id=film_id)  # type: ignore[attr-defined]
    return film
