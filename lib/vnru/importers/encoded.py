"""Arrow helpers for dictionary-encoded columns: work on each distinct value once, not on every row.

Comtrade codes (periods, countries, flows, HS codes, descriptions) repeat across a million rows, so the
importer reads them dictionary-encoded and computes on the dictionary, then spreads results back by index.
"""

import pyarrow as pa
import pyarrow.compute as pc


def dictionary(column) -> pa.DictionaryArray:
    """``column`` as one DictionaryArray (chunks unified; a plain column is encoded)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.unify_dictionaries() if pa.types.is_dictionary(column.type) else column
        column = column.combine_chunks()
    return column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column)


def by_value(column, function):
    """``function`` applied to the distinct values of ``column`` only, then spread back (codes repeat a lot)."""
    encoded = dictionary(column)
    return pc.take(function(encoded.dictionary), encoded.indices)


def map_values(column, function) -> pa.DictionaryArray:
    """``column`` with ``function`` applied to its distinct values, kept dictionary-encoded (no copy per row)."""
    encoded = dictionary(column)
    return pa.DictionaryArray.from_arrays(encoded.indices, function(encoded.dictionary))


def labels(condition, when_true, when_false) -> pa.DictionaryArray:
    """``when_true`` / ``when_false`` per row of a boolean array, dictionary-encoded (no string per row)."""
    if isinstance(condition, pa.ChunkedArray):
        condition = condition.combine_chunks()
    indices = pc.cast(pc.invert(condition), pa.int8())
    if when_false is None:
        indices = pc.if_else(condition, indices, None)
    return pa.DictionaryArray.from_arrays(indices, pa.array([when_true, when_false or ""], pa.string()))

__all__ = [
    "by_value", "dictionary", "labels", "map_values",
]
