"""Customers, stores, staff, inventory, rentals and payments: Pagila tables as unmanaged models.

Started from `manage.py inspectdb` and edited by hand. `payment` is partitioned by month and
read-only here. `StreamingSubscription` is the one table this app owns (migrated).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q

from films.models import Film
from pagila_site.pagila.fields import LastUpdateField


class Country(models.Model):
    country_id = models.AutoField(primary_key=True)
    country = models.TextField()
    last_update = LastUpdateField()

    class Meta:
        managed = False
        db_table = "country"
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.country


class City(models.Model):
    city_id = models.AutoField(primary_key=True)
    city = models.TextField()
    country = models.ForeignKey(Country, models.DO_NOTHING, related_name="cities")
    last_update = LastUpdateField()

    class Meta:
        managed = False
        db_table = "city"
        verbose_name_plural = "cities"

    def __str__(self) -> str:
        return self.city


class Address(models.Model):
    address_id = models.AutoField(primary_key=True)
    address = models.TextField()
    address2 = models.TextField(blank=True, null=True)
    district = models.TextField()
    city = models.ForeignKey(City, models.DO_NOTHING, related_name="addresses")
    postal_code = models.TextField(blank=True, null=True)
    phone = models.TextField()
    last_update = LastUpdateField()

    class Meta:
        managed = False
        db_table = "address"
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return self.address


class Staff(models.Model):
    staff_id = models.AutoField(primary_key=True)
    first_name = models.TextField()
    last_name = models.TextField()
    address = models.ForeignKey(Address, models.DO_NOTHING, related_name="+")
    email = models.TextField(blank=True, null=True)
    store = models.ForeignKey("Store", models.DO_NOTHING, related_name="staff")
    active = models.BooleanField(default=True)
    username = models.TextField()
    # Pagila's SHA-1 hash: never shown or edited as text.
    password = models.TextField(blank=True, null=True, editable=False)
    last_update = LastUpdateField()
    picture = models.BinaryField(blank=True, null=True, editable=False)

    class Meta:
        managed = False
        db_table = "staff"
        verbose_name_plural = "staff"

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Store(models.Model):
    store_id = models.AutoField(primary_key=True)
    manager_staff = models.OneToOneField(
        Staff, models.DO_NOTHING, db_column="manager_staff_id", related_name="managed_store"
    )
    address = models.ForeignKey(Address, models.DO_NOTHING, related_name="+")
    last_update = LastUpdateField()

    class Meta:
        managed = False
        db_table = "store"

    def __str__(self) -> str:
        return f"Store {self.store_id}"


class Customer(models.Model):
    customer_id = models.AutoField(primary_key=True)
    store = models.ForeignKey(Store, models.DO_NOTHING, related_name="customers")
    first_name = models.TextField()
    last_name = models.TextField()
    email = models.TextField(blank=True, null=True)
    address = models.ForeignKey(Address, models.DO_NOTHING, related_name="customers")
    activebool = models.BooleanField(default=True)
    create_date = models.DateField(db_default=models.functions.Now())
    last_update = LastUpdateField(null=True)
    # Pagila's integer flag (1 active, 0 inactive); the one the store's rules read.
    active = models.IntegerField(blank=True, null=True)

    class Meta:
        managed = False
        db_table = "customer"
        ordering = ["customer_id"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_active(self) -> bool:
        return self.active == 1


class InventoryQuerySet(models.QuerySet["Inventory"]):
    def in_stock(self) -> InventoryQuerySet:
        """Copies with no open rental (Pagila's inventory_in_stock(), as a set)."""
        return self.exclude(Exists(Rental.objects.open().filter(inventory=OuterRef("pk"))))


class Inventory(models.Model):
    inventory_id = models.AutoField(primary_key=True)
    film = models.ForeignKey(Film, models.DO_NOTHING, related_name="inventory")
    store = models.ForeignKey(Store, models.DO_NOTHING, related_name="inventory")
    last_update = LastUpdateField()

    objects = InventoryQuerySet.as_manager()

    class Meta:
        managed = False
        db_table = "inventory"
        verbose_name_plural = "inventory"

    def __str__(self) -> str:
        return f"Copy {self.inventory_id}"


class RentalQuerySet(models.QuerySet["Rental"]):
    def open(self) -> RentalQuerySet:
        """Rentals whose copy is still out."""
        return self.filter(return_date__isnull=True)


class Rental(models.Model):
    rental_id = models.AutoField(primary_key=True)
    rental_date = models.DateTimeField()
    inventory = models.ForeignKey(Inventory, models.DO_NOTHING, related_name="rentals")
    customer = models.ForeignKey(Customer, models.DO_NOTHING, related_name="rentals")
    return_date = models.DateTimeField(blank=True, null=True)
    staff = models.ForeignKey(Staff, models.DO_NOTHING, related_name="rentals")
    last_update = LastUpdateField()

    objects = RentalQuerySet.as_manager()

    class Meta:
        managed = False
        db_table = "rental"

    def __str__(self) -> str:
        return f"Rental {self.rental_id}"


class Payment(models.Model):
    """Read-only here: pagila_rental_return() writes the payment of each return.

    The table is partitioned by month (rentals migration 0007 adds partitions past Pagila's 2022
    ones), so PostgreSQL's key must hold the partition column: (payment_date, payment_id).
    Django keys rows by payment_id alone, which one sequence numbers and keeps unique, because
    its admin cannot show a composite key.
    """

    payment_id = models.IntegerField(primary_key=True)
    customer = models.ForeignKey(Customer, models.DO_NOTHING, related_name="payments")
    staff = models.ForeignKey(Staff, models.DO_NOTHING, related_name="payments")
    rental = models.ForeignKey(Rental, models.DO_NOTHING, related_name="payments")
    amount = models.DecimalField(max_digits=5, decimal_places=2)
    payment_date = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "payment"

    def __str__(self) -> str:
        return f"Payment {self.payment_id}"


class StreamingSubscription(models.Model):
    """A customer's streaming plan; `end_date` is open-ended when null."""

    id = models.AutoField(primary_key=True)
    customer = models.ForeignKey(
        Customer, models.DO_NOTHING, related_name="streaming_subscriptions"
    )
    plan_name = models.CharField(max_length=100)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        db_table = "streaming_subscription"
        indexes = [models.Index(fields=["customer"], name="streaming_sub_customer_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="streaming_subscription_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_name} for customer {self.customer_id}"
