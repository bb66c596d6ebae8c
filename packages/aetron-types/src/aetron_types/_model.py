"""The base of every protocol object: field order is wire order, one codec per field.

A model's canonical encoding is the concatenation of its fields' encodings in declaration
order, with no framing of its own. Nested objects are inlined the same way.
"""

from __future__ import annotations

import json
import types
from typing import Annotated, Any, ClassVar, Protocol, Self, Union, get_args, get_origin

import blake3
from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, model_validator

from . import _errors as err
from ._constants import LENGTH_PREFIX
from ._errors import AetronTypesError
from ._wire import JSON_CONTEXT, Reader, Seq, Wire, is_json

# Pydantic's own error types for structural JSON problems, mapped onto reason codes.
_PYDANTIC_CODES = {
    "missing": err.MISSING_FIELD,
    "extra_forbidden": err.UNKNOWN_FIELD,
}


class _Codec(Protocol):
    def encode(self, value: Any, out: bytearray) -> None: ...

    def decode(self, reader: Reader) -> Any: ...


class _Option:
    """One tag byte, 0 for absent or 1 followed by the value."""

    def __init__(self, inner: _Codec) -> None:
        self.inner = inner

    def encode(self, value: Any, out: bytearray) -> None:
        if value is None:
            out.append(0)
        else:
            out.append(1)
            self.inner.encode(value, out)

    def decode(self, reader: Reader) -> Any:
        tag = reader.uint(1)
        if tag == 0:
            return None
        if tag != 1:
            raise AetronTypesError(err.BAD_OPTION_TAG, f"option tag {tag}")
        return self.inner.decode(reader)


class _List:
    def __init__(self, seq: Seq, item: _Codec) -> None:
        self.seq = seq
        self.item = item

    def encode(self, value: tuple[Any, ...], out: bytearray) -> None:
        if self.seq.fixed is None:
            out += len(value).to_bytes(LENGTH_PREFIX, "little")
        for entry in value:
            self.item.encode(entry, out)

    def decode(self, reader: Reader) -> tuple[Any, ...]:
        count = self.seq.fixed if self.seq.fixed is not None else reader.uint(LENGTH_PREFIX)
        # Bounds first: a forged count must fail before any item is read.
        self.seq.check_count(count)
        items = tuple(self.item.decode(reader) for _ in range(count))
        self.seq.check_order(items)
        return items


class _Nested:
    def __init__(self, model: type[CanonicalModel]) -> None:
        self.model = model

    def encode(self, value: CanonicalModel, out: bytearray) -> None:
        value._encode_into(out)

    def decode(self, reader: Reader) -> CanonicalModel:
        return self.model._decode_from(reader)


def _codec_for(annotation: Any, metadata: list[Any]) -> _Codec:
    if get_origin(annotation) is Annotated:
        base, *extra = get_args(annotation)
        return _codec_for(base, [*extra, *metadata])
    for meta in metadata:
        if isinstance(meta, Wire):
            return meta
        if isinstance(meta, Seq):
            return _List(meta, _codec_for(get_args(annotation)[0], []))
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        (present,) = (arg for arg in get_args(annotation) if arg is not type(None))
        return _Option(_codec_for(present, []))
    if isinstance(annotation, type) and issubclass(annotation, CanonicalModel):
        return _Nested(annotation)
    raise TypeError(f"no canonical encoding for {annotation!r}")


class CanonicalModel(BaseModel):
    """A protocol object with one canonical byte encoding and one JSON form.

    Instances are immutable and always valid: the constructor, :meth:`decode` and
    :meth:`from_json` raise :class:`AetronTypesError` for anything else.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        use_attribute_docstrings=True,
        json_schema_serialization_defaults_required=True,
    )

    _codecs: ClassVar[tuple[tuple[str, _Codec], ...]] = ()
    # (too short, too long) reason codes for a type whose encoding has one fixed size.
    _size_codes: ClassVar[tuple[str, str] | None] = None
    _fixed_size: ClassVar[int] = 0

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _translate(exc) from None

    # Marks this __init__ as pydantic's own, so that validation (of nested objects, and in
    # from_json) does not route through it and lose the validation context.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._codecs = tuple(
            (name, _codec_for(field.annotation, field.metadata))
            for name, field in cls.model_fields.items()
        )

    @model_validator(mode="before")
    @classmethod
    def _every_json_field_present(cls, data: Any, info: ValidationInfo) -> Any:
        # Defaults are a Python convenience; the JSON form always spells out every field.
        if is_json(info) and isinstance(data, dict):
            for name in cls.model_fields:
                if name not in data:
                    raise AetronTypesError(err.MISSING_FIELD, f"{name}: field required")
        return data

    def _encode_into(self, out: bytearray) -> None:
        for name, codec in self._codecs:
            codec.encode(getattr(self, name), out)

    @classmethod
    def _decode_from(cls, reader: Reader) -> Self:
        return cls(**{name: codec.decode(reader) for name, codec in cls._codecs})

    def encode(self) -> bytes:
        """The canonical byte encoding."""
        out = bytearray()
        self._encode_into(out)
        return bytes(out)

    @classmethod
    def decode(cls, data: bytes) -> Self:
        """Parse a canonical encoding; every other byte string raises :class:`AetronTypesError`."""
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError(f"decode takes bytes, not {type(data).__name__}")
        data = bytes(data)
        if cls._size_codes is not None:
            if len(data) < cls._fixed_size:
                raise AetronTypesError(cls._size_codes[0], f"{len(data)} < {cls._fixed_size}")
            if len(data) > cls._fixed_size:
                raise AetronTypesError(cls._size_codes[1], f"{len(data)} > {cls._fixed_size}")
        reader = Reader(data)
        obj = cls._decode_from(reader)
        if reader.remaining():
            raise AetronTypesError(err.TRAILING_BYTES, f"{reader.remaining()} bytes left over")
        return obj

    def hash(self) -> bytes:
        """BLAKE3-256 of the canonical encoding (32 bytes)."""
        return blake3.blake3(self.encode()).digest()

    def to_json(self) -> dict[str, Any]:
        """The JSON form as a JSON-ready ``dict`` (bytes as ``0x`` hex, u64 as decimal strings)."""
        result: dict[str, Any] = self.model_dump(mode="json")
        return result

    @classmethod
    def from_json(cls, value: Any) -> Self:
        """Parse the JSON form, given as a parsed ``dict`` or as JSON text."""
        if isinstance(value, str | bytes):
            value = _parse_json(value)
        try:
            return cls.model_validate(value, context=JSON_CONTEXT)
        except ValidationError as exc:
            raise _translate(exc) from None

    def _replace(self, **changes: Any) -> Self:
        return type(self)(**{**dict(self), **changes})


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise AetronTypesError(err.MALFORMED_JSON, "an object repeats a key")
    return result


def _no_constant(name: str) -> Any:
    raise AetronTypesError(err.MALFORMED_JSON, f"{name} is not JSON")


def _parse_json(text: str | bytes) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise AetronTypesError(err.MALFORMED_JSON, str(exc)) from None


def _translate(exc: ValidationError) -> AetronTypesError:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or exc.title
    inner = (first.get("ctx") or {}).get("error")
    if isinstance(inner, AetronTypesError):
        return AetronTypesError(inner.code, f"{where}: {inner.message}")
    code = _PYDANTIC_CODES.get(first["type"], err.WRONG_TYPE)
    return AetronTypesError(code, f"{where}: {first['msg']}")
