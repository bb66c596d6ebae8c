"""Wire types: each knows one field's canonical bytes, its JSON form and its JSON Schema.

A wire type is attached to a model field as ``Annotated`` metadata. Pydantic asks it how to
validate and serialise the field; the codec in ``_model`` asks it how to read and write bytes.
Keeping the three forms in one object is what keeps them from drifting apart.

Validation is strict in both modes: Python input must already have the right type (``bytes``,
``int`` but not ``bool``, the enum member), and JSON input must use the one JSON form (``0x``
lowercase hex, decimal strings for 64-bit integers, enum values as strings).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from . import _errors as err
from ._constants import LENGTH_PREFIX
from ._errors import AetronTypesError

_HEX = re.compile(r"0x(?:[0-9a-f]{2})*")
_DECIMAL = re.compile(r"0|[1-9][0-9]*")


JSON_CONTEXT = {"aetron_json_form": True}
"""Validation context that says the input is the JSON form (see ``CanonicalModel.from_json``)."""


def is_json(info: core_schema.ValidationInfo) -> bool:
    """Whether a validator is reading the JSON form rather than Python values."""
    return bool(info.context and info.context.get("aetron_json_form"))


class Reader:
    """A cursor over the bytes being decoded; running past the end is ``TYPES.TRUNCATED``."""

    __slots__ = ("data", "pos")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, size: int) -> bytes:
        end = self.pos + size
        if end > len(self.data):
            raise AetronTypesError(err.TRUNCATED, f"needs {end} bytes, input has {len(self.data)}")
        chunk = self.data[self.pos : end]
        self.pos = end
        return chunk

    def uint(self, size: int) -> int:
        return int.from_bytes(self.take(size), "little")

    def remaining(self) -> int:
        return len(self.data) - self.pos


class Wire(ABC):
    """A leaf field type: validation, JSON form, JSON Schema and canonical bytes."""

    @abstractmethod
    def encode(self, value: Any, out: bytearray) -> None:
        """Append the value's canonical bytes to ``out``."""

    @abstractmethod
    def decode(self, reader: Reader) -> Any:
        """Read one value, rejecting every non-canonical form."""

    @abstractmethod
    def validate_python(self, value: Any) -> Any:
        """Check a Python value, returning it in its stored type."""

    def validate_json(self, value: Any) -> Any:
        """Check a value of the JSON form, returning the Python value."""
        return self.validate_python(value)

    def to_json(self, value: Any) -> Any:
        """The value's JSON form."""
        return value

    @abstractmethod
    def json_schema(self) -> JsonSchemaValue:
        """The JSON Schema of the value's JSON form."""

    def _validate(self, value: Any, info: core_schema.ValidationInfo) -> Any:
        if is_json(info):
            return self.validate_json(value)
        return self.validate_python(value)

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.with_info_plain_validator_function(
            self._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                self.to_json, when_used="json"
            ),
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return self.json_schema()


def _want(value: Any, kind: type | tuple[type, ...], what: str) -> None:
    # bool is an int subclass; a flag is never a number here.
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise AetronTypesError(err.WRONG_TYPE, f"expected {what}, got {type(value).__name__}")


class UInt(Wire):
    """An unsigned little-endian integer of ``bits`` bits, optionally narrowed to ``[lo, hi]``.

    Integers of 64 bits travel in JSON as decimal strings (they can exceed 2^53); narrower ones
    as JSON numbers.
    """

    def __init__(self, bits: int, lo: int = 0, hi: int | None = None, code: str = "") -> None:
        self.size = bits // 8
        self.lo = lo
        self.hi = (1 << bits) - 1 if hi is None else hi
        self.code = code or err.OUT_OF_RANGE

    def check(self, value: int) -> int:
        if not self.lo <= value <= self.hi:
            raise AetronTypesError(self.code, f"{value} is outside [{self.lo}, {self.hi}]")
        return value

    def encode(self, value: int, out: bytearray) -> None:
        out += value.to_bytes(self.size, "little")

    def decode(self, reader: Reader) -> int:
        return self.check(reader.uint(self.size))

    def validate_python(self, value: Any) -> int:
        _want(value, int, "an integer")
        return self.check(value)

    def validate_json(self, value: Any) -> int:
        if self.size < 8:
            return self.validate_python(value)
        _want(value, str, "a decimal string")
        if len(value) > 20 or not _DECIMAL.fullmatch(value):
            raise AetronTypesError(err.BAD_DECIMAL, f"{value[:40]!r} is not a canonical decimal")
        return self.check(int(value))

    def to_json(self, value: int) -> int | str:
        return str(value) if self.size == 8 else value

    def json_schema(self) -> JsonSchemaValue:
        if self.size == 8:
            return {"type": "string", "pattern": "^(0|[1-9][0-9]*)$", "maxLength": 20}
        return {"type": "integer", "minimum": self.lo, "maximum": self.hi}


def _hex_to_bytes(value: Any) -> bytes:
    _want(value, str, "a 0x-prefixed hex string")
    if not _HEX.fullmatch(value):
        raise AetronTypesError(err.BAD_HEX, f"{value[:40]!r} is not 0x-prefixed lowercase hex")
    return bytes.fromhex(value[2:])


def _bytes_to_hex(value: bytes) -> str:
    return "0x" + value.hex()


class FixedBytes(Wire):
    """Exactly ``size`` bytes, written as they are."""

    def __init__(self, size: int) -> None:
        self.size = size

    def encode(self, value: bytes, out: bytearray) -> None:
        out += value

    def decode(self, reader: Reader) -> bytes:
        return reader.take(self.size)

    def validate_python(self, value: Any) -> bytes:
        _want(value, bytes, "bytes")
        if len(value) != self.size:
            raise AetronTypesError(err.WRONG_LENGTH, f"{len(value)} bytes, expected {self.size}")
        return bytes(value)

    def validate_json(self, value: Any) -> bytes:
        return self.validate_python(_hex_to_bytes(value))

    def to_json(self, value: bytes) -> str:
        return _bytes_to_hex(value)

    def json_schema(self) -> JsonSchemaValue:
        return {"type": "string", "pattern": f"^0x[0-9a-f]{{{2 * self.size}}}$"}


class VarBytes(Wire):
    """A u32 little-endian length, then that many bytes; the length lies in ``[lo, hi]``."""

    def __init__(self, hi: int, lo: int = 0, code: str = "") -> None:
        self.lo = lo
        self.hi = hi
        self.code = code or err.BYTES_TOO_LONG

    def check_length(self, length: int) -> None:
        if length > self.hi:
            raise AetronTypesError(self.code, f"{length} bytes, at most {self.hi} allowed")
        if length < self.lo:
            raise AetronTypesError(err.BYTES_TOO_SHORT, f"{length} bytes, at least {self.lo}")

    def encode(self, value: bytes, out: bytearray) -> None:
        out += len(value).to_bytes(LENGTH_PREFIX, "little")
        out += value

    def decode(self, reader: Reader) -> bytes:
        length = reader.uint(LENGTH_PREFIX)
        # Checked before reading, so a forged length costs nothing.
        self.check_length(length)
        return reader.take(length)

    def validate_python(self, value: Any) -> bytes:
        _want(value, bytes, "bytes")
        self.check_length(len(value))
        return bytes(value)

    def validate_json(self, value: Any) -> bytes:
        return self.validate_python(_hex_to_bytes(value))

    def to_json(self, value: bytes) -> str:
        return _bytes_to_hex(value)

    def json_schema(self) -> JsonSchemaValue:
        return {
            "type": "string",
            "pattern": "^0x([0-9a-f]{2})*$",
            "minLength": 2 + 2 * self.lo,
            "maxLength": 2 + 2 * self.hi,
        }


class Label(Wire):
    """Short ASCII text from a fixed alphabet (version strings), framed like ``VarBytes``."""

    ALPHABET = "0-9A-Za-z.+_-"

    def __init__(self, hi: int) -> None:
        self.hi = hi
        self.pattern = re.compile(f"[{self.ALPHABET}]{{0,{hi}}}")

    def check(self, value: str) -> str:
        if not self.pattern.fullmatch(value):
            raise AetronTypesError(
                err.BAD_STRING, f"{value[:40]!r}: at most {self.hi} of [{self.ALPHABET}]"
            )
        return value

    def encode(self, value: str, out: bytearray) -> None:
        raw = value.encode("ascii")
        out += len(raw).to_bytes(LENGTH_PREFIX, "little")
        out += raw

    def decode(self, reader: Reader) -> str:
        length = reader.uint(LENGTH_PREFIX)
        if length > self.hi:
            raise AetronTypesError(err.BAD_STRING, f"{length} bytes, at most {self.hi}")
        raw = reader.take(length)
        return self.check(raw.decode("latin-1"))

    def validate_python(self, value: Any) -> str:
        _want(value, str, "a string")
        return self.check(value)

    def json_schema(self) -> JsonSchemaValue:
        return {"type": "string", "pattern": f"^[{self.ALPHABET}]{{0,{self.hi}}}$"}


class Code(Wire):
    """A closed enumeration: one byte on the wire (the member's position), its value in JSON."""

    def __init__(self, enum: type[Enum]) -> None:
        self.members = list(enum)
        self.by_value = {member.value: member for member in self.members}
        self.position = {member: index for index, member in enumerate(self.members)}
        self.name = enum.__name__

    def encode(self, value: Enum, out: bytearray) -> None:
        out.append(self.position[value])

    def decode(self, reader: Reader) -> Enum:
        code = reader.uint(1)
        if code >= len(self.members):
            raise AetronTypesError(err.UNKNOWN_ENUM_CODE, f"{self.name} has no code {code}")
        return self.members[code]

    def validate_python(self, value: Any) -> Enum:
        if value in self.position:
            return self.members[self.position[value]]
        if isinstance(value, str):
            return self.validate_json(value)
        raise AetronTypesError(err.WRONG_TYPE, f"expected a {self.name}")

    def validate_json(self, value: Any) -> Enum:
        _want(value, str, f"a {self.name} value")
        if value not in self.by_value:
            raise AetronTypesError(err.UNKNOWN_ENUM_VALUE, f"{self.name} has no {value[:40]!r}")
        return self.by_value[value]

    def to_json(self, value: Enum) -> Any:
        return value.value

    def json_schema(self) -> JsonSchemaValue:
        return {"type": "string", "enum": [member.value for member in self.members]}


class Seq:
    """A list field: ``u32`` count then the items, or exactly ``fixed`` items with no count.

    ``key`` makes it a set: items strictly ascending by ``key(item)``, so no duplicates.
    """

    def __init__(
        self,
        hi: int | None = None,
        lo: int = 0,
        *,
        fixed: int | None = None,
        key: Callable[[Any], Any] | None = None,
    ) -> None:
        self.fixed = fixed
        self.lo = lo if fixed is None else fixed
        self.hi = hi if fixed is None else fixed
        self.key = key

    def check_count(self, count: int) -> None:
        if self.fixed is not None and count != self.fixed:
            raise AetronTypesError(err.WRONG_LENGTH, f"{count} entries, expected {self.fixed}")
        if self.hi is not None and count > self.hi:
            raise AetronTypesError(err.TOO_MANY_ENTRIES, f"{count} entries, at most {self.hi}")
        if count < self.lo:
            raise AetronTypesError(err.TOO_FEW_ENTRIES, f"{count} entries, at least {self.lo}")

    def check_order(self, items: Sequence[Any]) -> None:
        if self.key is None:
            return
        keys = [self.key(item) for item in items]
        for index in range(1, len(keys)):
            if keys[index] == keys[index - 1]:
                raise AetronTypesError(
                    err.DUPLICATE_ENTRY, f"entry {index} repeats entry {index - 1}"
                )
            if keys[index] < keys[index - 1]:
                raise AetronTypesError(err.NOT_SORTED, f"entry {index} sorts before {index - 1}")

    def _before(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            self.check_count(len(value))
        return value

    def _after(self, value: tuple[Any, ...]) -> tuple[Any, ...]:
        self.check_order(value)
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        inner = core_schema.no_info_after_validator_function(self._after, handler(source))
        return core_schema.no_info_before_validator_function(self._before, inner)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        result = dict(handler(schema))
        result.pop("maxItems", None)
        result.pop("minItems", None)
        if self.lo:
            result["minItems"] = self.lo
        if self.hi is not None:
            result["maxItems"] = self.hi
        if self.key is not None:
            result["uniqueItems"] = True
        return result
