"""Just enough of the protobuf wire format to read Anki's note-type and template configs."""

from __future__ import annotations

__all__ = ["ProtobufError", "proto_fields"]


class ProtobufError(ValueError):
    """The bytes are not a protobuf message."""


def proto_fields(data: bytes) -> dict[int, list[int | bytes]]:
    """Field number → values (varints as ints, length-delimited as bytes; fixed ones skipped)."""
    fields: dict[int, list[int | bytes]] = {}
    position = 0
    while position < len(data):
        key, position = _varint(data, position)
        number, wire_type = key >> 3, key & 7
        value: int | bytes
        if wire_type == 0:
            value, position = _varint(data, position)
        elif wire_type == 2:
            length, position = _varint(data, position)
            if position + length > len(data):
                raise ProtobufError("truncated field")
            value, position = data[position : position + length], position + length
        elif wire_type in (1, 5):
            position += 8 if wire_type == 1 else 4
            continue
        else:
            raise ProtobufError(f"wire type {wire_type}")
        fields.setdefault(number, []).append(value)
    if position != len(data):
        raise ProtobufError("truncated field")
    return fields


def _varint(data: bytes, position: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if position >= len(data) or shift > 63:
            raise ProtobufError("bad varint")
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, position
        shift += 7
