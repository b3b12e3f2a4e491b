"""SQL that Django compiles once per shape of a query, then runs with each request's values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


class Slot(str):
    """A request value's stand-in while Django compiles a statement: found again in its params.

    Django hands a text value to the query's parameters as the same object (the lookups that
    filter the film list do), so after compiling with slots the parameters say which position
    takes which value. A slot's text starts with NUL, which no validated parameter holds.
    """

    name: str

    def __new__(cls, name: str) -> Slot:
        slot = super().__new__(cls, f"\x00{name}")
        slot.name = name
        return slot


@dataclass(frozen=True)
class Statement:
    """Compiled SQL and its parameters: constants, and slots that each request fills."""

    sql: str
    params: tuple[Any, ...]

    @classmethod
    def of(cls, sql: str, params: Sequence[Any], slots: Iterable[Slot]) -> Statement:
        """The statement, once every slot given to the query is seen among its parameters.

        A slot that Django copied or transformed on the way would leave its stand-in text in
        the SQL's parameters for every request: refused here, when the shape is compiled.
        """
        found = {param.name for param in params if isinstance(param, Slot)}
        lost = sorted({slot.name for slot in slots} - found)
        if lost:
            raise ValueError(f"the compiled query does not take {lost} as parameters")
        return cls(sql, tuple(params))

    def bind(self, values: Mapping[str, Any]) -> list[Any]:
        """The parameters for one request: each slot replaced by the value of its name."""
        return [values[param.name] if isinstance(param, Slot) else param for param in self.params]
