"""Domain errors of the rentals rules; the API's exception handler maps each to status and code."""

from __future__ import annotations

from pagila_site.api.errors import DomainError, InvalidReference, NotFound


class CustomerNotFound(NotFound):
    code = "customer_not_found"

    def __init__(self, customer_id: int) -> None:
        super().__init__(f"Customer {customer_id} does not exist.")


class RentalNotFound(NotFound):
    code = "rental_not_found"

    def __init__(self, rental_id: int) -> None:
        super().__init__(f"Rental {rental_id} does not exist.")


class InventoryNotFound(InvalidReference):
    """The body names an inventory copy that does not exist (400, field `inventory_id`)."""

    def __init__(self, inventory_id: int) -> None:
        super().__init__(f"Inventory copy {inventory_id} does not exist.", field="inventory_id")


class StaffNotFound(InvalidReference):
    """The body names a staff member who does not exist (400, field `staff_id`)."""

    def __init__(self, staff_id: int) -> None:
        super().__init__(f"Staff member {staff_id} does not exist.", field="staff_id")


class CopyNotAvailable(DomainError):
    """The copy is out: an open rental (no return date) already holds it."""

    code = "copy_not_available"
    title = "Copy not available"

    def __init__(self, inventory_id: int) -> None:
        super().__init__(
            f"Inventory copy {inventory_id} is already rented out.", field="inventory_id"
        )


class CustomerInactive(DomainError):
    """Inactive customers (Pagila's `active = 0`) may not rent."""

    code = "customer_inactive"
    title = "Customer inactive"

    def __init__(self, customer_id: int) -> None:
        super().__init__(f"Customer {customer_id} is inactive and cannot rent.")


class AlreadyReturned(DomainError):
    code = "already_returned"
    title = "Already returned"

    def __init__(self, rental_id: int) -> None:
        super().__init__(f"Rental {rental_id} was already returned.")
