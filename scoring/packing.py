"""Many weights summed at once: each value scaled to an integer (x 10,000; weights have four
decimals) and given a signed 48-bit field of one Python int, so adding the ints adds every
field, far wider than any answer's sum can need. The learned layer packs each term's weights for
every failure mode, relevance each word's weights for every bank question."""

from collections.abc import Iterable

SCALE = 10_000
_FIELD = 48
_MASK = (1 << _FIELD) - 1
_SIGN = 1 << (_FIELD - 1)


def pack(pairs: Iterable[tuple[int, float]]) -> int:
    """(field index, weight) pairs as one int."""
    return sum(round(w * SCALE) << (_FIELD * i) for i, w in pairs)


def unpack(total: int, n: int) -> list[int]:
    """The first n signed fields of a sum of packed ints."""
    out = []
    for _ in range(n):
        value = total & _MASK
        if value >= _SIGN:
            value -= 1 << _FIELD
        out.append(value)
        total = (total - value) >> _FIELD
    return out
