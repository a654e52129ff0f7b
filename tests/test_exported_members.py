"""``quoteprov.__all__`` is sorted and is exactly what the package exports."""

from __future__ import annotations

import quoteprov


def test_all_is_sorted_and_complete() -> None:
    assert quoteprov.__all__ == sorted(quoteprov.__all__)
    public = {
        name
        for name, value in vars(quoteprov).items()
        if not name.startswith("_") and getattr(value, "__module__", "").startswith("quoteprov")
    }
    assert public <= set(quoteprov.__all__)
    for name in quoteprov.__all__:
        assert hasattr(quoteprov, name), name
