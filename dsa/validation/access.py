"""Defensive reading of a possibly malformed document: wrong types read as absent."""

from __future__ import annotations

from typing import Any, Mapping


def get_obj(item: Any, key: str) -> Mapping[str, Any] | None:
    """``item[key]`` when both are objects, else None."""
    if isinstance(item, dict):
        v = item.get(key)
        if isinstance(v, dict):
            return v
    return None


def get_str(item: Any, key: str) -> str | None:
    if isinstance(item, dict):
        v = item.get(key)
        if isinstance(v, str):
            return v
    return None


def get_bool(item: Any, key: str) -> bool | None:
    if isinstance(item, dict):
        v = item.get(key)
        if isinstance(v, bool):
            return v
    return None


def get_num(item: Any, key: str) -> float | None:
    if isinstance(item, dict):
        v = item.get(key)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return v
    return None


def get_list(item: Any, key: str) -> list | None:
    if isinstance(item, dict):
        v = item.get(key)
        if isinstance(v, list):
            return v
    return None


def get_path(item: Any, *keys: str) -> Any:
    """A nested value, or None where any step is missing or not an object."""
    for key in keys:
        if not isinstance(item, dict):
            return None
        item = item.get(key)
    return item


def present(value: Any) -> bool:
    """A recorded fact: not None, not an empty or blank string, not an empty list or object."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple, dict)):
        return len(value) > 0
    return True
