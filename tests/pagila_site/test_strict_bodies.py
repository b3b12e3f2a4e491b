"""StrictBodySerializer.validated_body: a plainly valid body skips DRF's validation, and gets
exactly what DRF would give it; every other body gets DRF's own 400."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework import exceptions, serializers

from pagila_site.api.parsers import StrictBodySerializer, plain_checks
from pagila_site.pagila.fields import PG_INT_MAX
from rentals.serializers import RentalCreateSerializer, RentalReturnBodySerializer, StrictIdField

BODIES: list[Any] = [
    {"inventory_id": 1, "staff_id": 2},
    {"staff_id": 2, "inventory_id": PG_INT_MAX},
    {"staff_id": 1},
    {},
    {"inventory_id": 0, "staff_id": 1},
    {"inventory_id": PG_INT_MAX + 1, "staff_id": 1},
    {"inventory_id": True, "staff_id": 1},
    {"inventory_id": 1.0, "staff_id": 1},
    {"inventory_id": "1", "staff_id": 1},
    {"inventory_id": None, "staff_id": 1},
    {"inventory_id": [1], "staff_id": 1},
    {"inventory_id": 1, "staff_id": 1, "store_id": 1},
    {"staff_id": None},
    {"staff_id": 2, "note": "x"},
    None,
    [1, 2],
    "inventory_id",
    7,
]


def drf_outcome(serializer_class: type[StrictBodySerializer], body: Any) -> Any:
    """What DRF's own validation makes of the body: the data, or the 400's detail."""
    serializer = serializer_class(data=body)
    if serializer.is_valid():
        return dict(serializer.validated_data)
    return ("400", serializer.errors)


def fast_outcome(serializer_class: type[StrictBodySerializer], body: Any) -> Any:
    try:
        return serializer_class.validated_body(body)
    except exceptions.ValidationError as error:
        return ("400", error.detail)


@pytest.mark.parametrize("serializer_class", [RentalCreateSerializer, RentalReturnBodySerializer])
@pytest.mark.parametrize("body", BODIES, ids=repr)
def test_every_body_gets_what_drf_gives_it(
    serializer_class: type[StrictBodySerializer], body: Any
) -> None:
    assert fast_outcome(serializer_class, body) == drf_outcome(serializer_class, body)


def test_the_rental_bodies_have_plain_checks_for_every_field() -> None:
    create = plain_checks(RentalCreateSerializer)
    assert create is not None
    assert set(create[0]) == create[1] == {"inventory_id", "staff_id"}
    returned = plain_checks(RentalReturnBodySerializer)
    assert returned is not None
    assert set(returned[0]) == {"staff_id"} and returned[1] == frozenset()


class OddIdSerializer(StrictBodySerializer):
    copy_id = StrictIdField()

    def validate_copy_id(self, value: int) -> int:
        if value % 2 == 0:
            raise serializers.ValidationError("Only odd copies.")
        return value


class NamedSerializer(StrictBodySerializer):
    copy_id = StrictIdField()
    name = serializers.CharField()


def test_a_body_with_rules_beyond_its_fields_always_takes_drfs_path() -> None:
    assert plain_checks(OddIdSerializer) is None
    assert plain_checks(NamedSerializer) is None  # CharField has no plain check

    assert OddIdSerializer.validated_body({"copy_id": 3}) == {"copy_id": 3}
    with pytest.raises(exceptions.ValidationError) as refused:
        OddIdSerializer.validated_body({"copy_id": 4})
    assert refused.value.detail == {"copy_id": ["Only odd copies."]}
    named = {"copy_id": 1, "name": "x"}
    assert NamedSerializer.validated_body(named) == named
