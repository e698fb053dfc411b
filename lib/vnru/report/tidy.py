"""A table as data for a download: the values a spreadsheet or ``pandas.read_csv`` can use, and their schema.

A notebook may hand ``vnru.show(df, name=...)`` a frame that already holds text for reading. Before it is
written as CSV, every column becomes data again:

- numbers written for reading ("49,000") become numbers; hedged figures ("more than 29,000",
  "about 50,000–60,000") become the number, ``<column>_high`` for a range and ``<column>_qualifier``;
- dates written for reading ("30 Jan 1950", "May 1987", datetime values) become ISO 8601 text at their
  precision ("1950-01-30", "1987-05");
- "yes"/"no" columns become booleans (``True``/``False``, which pandas reads as bool);
- a period written for reading ("Jan–May 2024", "2019") becomes explicit ``year``, ``from_month``, ``months``
  columns (the text column is dropped);
- codes (``hs_code``, ``iso3``, ``*_id``, ...) stay text. A code such as "03" looks like a number to any
  reader that guesses types, so the metadata JSON beside the CSV declares every column's type and gives the
  ``dtype`` argument that keeps it: ``pd.read_csv(path, dtype={"hs_code": str})``.
"""

import re

import pandas as pd

from vnru.data.conventions import iso_date

_NUM = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUMBER = re.compile(rf"^{_NUM}$")
_HEDGED = re.compile(rf"^(?P<qualifier>[a-z][a-z ]*?)?\s*(?P<low>{_NUM})(?:\s*[–-]\s*(?P<high>{_NUM}))?$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PERIOD = re.compile(rf"^(?:(?P<first>{'|'.join(_MONTHS)})(?:\s*[–-]\s*(?P<last>{'|'.join(_MONTHS)}))?\s+)?"
                     r"(?P<year>(1[89]|20)\d\d)$")
_DATE_FORMATS = (("%d %b %Y", "day"), ("%b %Y", "month"))
_CODE = re.compile(r"(^|_)(code|iso3|iso|id|hs|hs_code|slug)$|^(source_id|event_id|indicator|reporter|flow|"
                   r"direction|partner|country)$")
_YES_NO = {"yes": True, "no": False, "True": True, "False": False}

__all__ = ["as_data", "field_types", "is_code", "pandas_dtypes", "unit_of"]


def is_code(column) -> bool:
    """Whether ``column`` holds codes (text even when it looks like a number: "03", "VNM")."""
    return bool(_CODE.search(str(column).lower()))


def _text(series) -> pd.Series:
    return series.dropna().astype(str).str.strip().loc[lambda s: s != ""]


def _numbers(series):
    """The column as numbers when every value is a number written for reading; else None."""
    text = _text(series)
    if text.empty or not text.str.match(_NUMBER).all():
        return None
    values = pd.to_numeric(series.astype("string").str.replace(",", "", regex=False).str.strip().replace("", pd.NA),
                           errors="coerce")
    whole = values.dropna()
    return values.astype("Int64") if len(whole) and (whole == whole.round()).all() else values


def _as_number(text):
    number = float(text.replace(",", ""))
    return int(number) if number == int(number) else number


def _hedged(frame, column):
    """``column`` split into number, ``_high`` and ``_qualifier`` columns when every value is a hedged figure."""
    text = frame[column].astype("string").str.strip()
    found = text.str.extract(_HEDGED)
    present = text.notna() & (text != "")
    if not present.any() or found.loc[present, "low"].isna().any():
        return None
    parts = {column: pd.array([_as_number(v) if isinstance(v, str) else None for v in found["low"]])}
    if found["high"].notna().any():
        parts[f"{column}_high"] = pd.array([_as_number(v) if isinstance(v, str) else None for v in found["high"]])
    if found["qualifier"].notna().any():
        parts[f"{column}_qualifier"] = found["qualifier"].str.strip()
    return pd.DataFrame(parts, index=frame.index)


def _dates(series):
    """The column as ISO dates at their precision when every value is a date written for reading; else None."""
    text = _text(series)
    if text.empty:
        return None
    out = {}
    for index, value in text.items():
        for fmt, precision in _DATE_FORMATS:
            try:
                out[index] = iso_date(pd.to_datetime(value, format=fmt), precision)
                break
            except ValueError:
                continue
        else:
            return None
    return pd.Series(out, dtype="object").reindex(series.index)


def _periods(frame, column):
    """``year``, ``from_month``, ``months`` from a period column ("Jan–May 2024", "2019"); None if not one."""
    text = frame[column].astype("string").str.strip()
    found = text.str.extract(_PERIOD)
    if found["year"].isna().any():
        return None
    first = found["first"].map(lambda m: _MONTHS.index(m) + 1 if isinstance(m, str) else 1)
    last = found["last"].combine(found["first"], lambda a, b: a if isinstance(a, str) else b)
    months = [(_MONTHS.index(end) + 1 - start + 1) if isinstance(end, str) else 12 for end, start in zip(last, first)]
    return pd.DataFrame({"year": found["year"].astype(int), "from_month": first.astype(int), "months": months},
                        index=frame.index)


def as_data(df) -> pd.DataFrame:
    """A copy of ``df`` with every column as data (see the module docstring); column order kept."""
    frame = df.copy()
    for column in list(frame.columns):
        series = frame[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            precision = frame.get(f"{column}_precision")
            frame[column] = [iso_date(v, p) for v, p in zip(series, precision if precision is not None
                                                             else [None] * len(series))]
            continue
        textual = series.dtype == object or pd.api.types.is_string_dtype(series)
        if str(column) == "period" and textual:
            periods = _periods(frame, column)
            if periods is not None:
                at = frame.columns.get_loc(column)
                frame = frame.drop(columns=[column])
                for name in ("year", "from_month", "months"):
                    if name not in frame.columns:
                        frame.insert(at, name, periods[name])
                        at += 1
                continue
        if not textual or is_code(column):
            continue
        text = _text(series)
        if not text.empty and text.isin(_YES_NO).all():
            frame[column] = series.map(lambda v: _YES_NO.get(str(v).strip()) if isinstance(v, str) else v)
            continue
        converted = _numbers(series)
        if converted is None:
            converted = _dates(series)
        if converted is not None:
            frame[column] = converted
            continue
        split = _hedged(frame, column)
        if split is not None:
            at = frame.columns.get_loc(column)
            frame = frame.drop(columns=[column])
            for offset, name in enumerate(split.columns):
                if name not in frame.columns:
                    frame.insert(at + offset, name, split[name])
    for column in frame.columns:  # whole-number floats with gaps (years, counts) stay whole numbers
        values = frame[column]
        if pd.api.types.is_float_dtype(values) and values.notna().any() and (values.dropna() == values.dropna().round()).all() \
                and ("year" in str(column).lower() or str(column) in ("months", "from_month", "rank", "rank_of", "projects")):
            frame[column] = values.astype("Int64")
    return frame


def unit_of(column) -> str | None:
    """The unit a column's name states (``value_usd_m`` -> "USD million", ``share_pct`` -> "%")."""
    name = str(column).lower()
    if re.search(r"usd_m(_|$)", name):
        return "USD million"
    if name.endswith("_pct") or name == "pct":
        return "%"
    if name.endswith("_pp"):
        return "percentage points"
    if name in ("days",):
        return "days"
    if name == "years":
        return "years"
    return None


def field_types(frame) -> list:
    """Table Schema style fields of a frame written by ``as_data``: name, type, unit (when named)."""
    fields = []
    for column in frame.columns:
        values = frame[column]
        if is_code(column):
            kind = "string"
        elif pd.api.types.is_bool_dtype(values):
            kind = "boolean"
        elif pd.api.types.is_integer_dtype(values):
            kind = "integer"
        elif pd.api.types.is_numeric_dtype(values):
            kind = "number"
        elif _text(values).str.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?").all() and not _text(values).empty:
            kind = "date" if "year" not in str(column).lower() else "integer"
        else:
            kind = "string"
        field = {"name": str(column), "type": kind}
        if unit_of(column):
            field["unit"] = unit_of(column)
        fields.append(field)
    return fields


def pandas_dtypes(fields) -> dict:
    """The ``dtype`` argument of ``pd.read_csv`` that keeps the text columns that could read as numbers, and the
    whole numbers whole where some are missing (a year left empty would make plain pandas read 2013.0)."""
    kinds = {"string": "str", "date": "str", "integer": "Int64"}
    return {f["name"]: kinds[f["type"]] for f in fields if f["type"] in kinds}
