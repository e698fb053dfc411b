"""`vnru audit` on partners.csv: partner values against world totals, shares over 100 %, stated ranks the same
source's values contradict (planted rows in a copy of the data), and the bundled table clean."""

from fixtures.files import read_rows, write_rows
from vnru.data import audit as A

SRC, SRC_B = "seed-mofa-2024-06-18", "seed-nhandan-2017-06-29"


def add(data_dir, *records):
    """Append partners rows given as dicts; return their file row numbers."""
    path = data_dir / "partners.csv"
    rows = read_rows(path)
    first = len(rows) + 1
    base = {"year": 2090, "from_month": 1, "months": 12, "country": "VNM", "flow": "total", "reporter": "VN",
            "source_id": SRC}
    rows += [[str({**base, **r}.get(c, "")) for c in rows[0]] for r in records]
    write_rows(path, rows)
    return list(range(first, first + len(records)))


def partner_findings(data_dir):
    return [f for f in A.audit(data_dir) if f.file == "partners.csv" and not f.explained]


def test_bundled_partners_audit_clean():
    assert [str(f) for f in A.audit() if f.file == "partners.csv" and not f.explained] == []
    assert "partners" in A.AUDITED and {"world", "shares", "rank"} <= set(A.KINDS)


def test_partner_above_the_world_total_of_the_same_reporter(data_copy):
    rows = add(data_copy, {"partner": "WLD", "value_usd_m": 1000}, {"partner": "CHN", "value_usd_m": 1200},
               {"partner": "USA", "value_usd_m": 1040, "reporter": "US"},     # another reporter: not compared
               {"partner": "JPN", "value_usd_m": 1040, "months": 6})          # another period: not compared
    found = partner_findings(data_copy)
    assert [(f.row, f.kind) for f in found] == [(rows[1], "world")]  # one partner: no sum of shares
    assert "CHN 1,200 is above the world total 1,000" in found[0].message


def test_within_rounding_is_not_a_finding(data_copy):
    add(data_copy, {"partner": "WLD", "value_usd_m": 1000}, {"partner": "CHN", "value_usd_m": 1040})
    assert partner_findings(data_copy) == []


def test_shares_over_100_percent_leave_groups_out(data_copy):
    rows = add(data_copy, {"partner": "WLD", "value_usd_m": 1000}, {"partner": "CHN", "value_usd_m": 600},
               {"partner": "USA", "value_usd_m": 550}, {"partner": "ASEAN", "value_usd_m": 900})
    found = partner_findings(data_copy)
    assert [(f.row, f.kind) for f in found] == [(rows[0], "shares")]
    assert "2 partners add up to 115 %" in found[0].message


def test_stated_rank_contradicted_by_the_same_sources_values(data_copy):
    scope = "Vietnam's export markets"
    rows = add(data_copy, {"partner": "USA", "flow": "exports", "value_usd_m": 500, "rank": 1, "rank_scope": scope},
               {"partner": "CHN", "flow": "exports", "value_usd_m": 700, "rank": 2, "rank_scope": scope},
               {"partner": "JPN", "flow": "exports", "value_usd_m": 900, "rank": 3, "rank_scope": scope,
                "source_id": SRC_B})  # another source: not compared
    found = partner_findings(data_copy)
    assert [(f.row, f.kind) for f in found] == [(rows[0], "rank")]
    assert "stated rank 1" in found[0].message and "(CHN)" in found[0].message


def test_a_finding_is_explained_in_the_note(data_copy):
    add(data_copy, {"partner": "WLD", "value_usd_m": 1000},
        {"partner": "CHN", "value_usd_m": 1200, "note": "audit world: the world figure is an early estimate."})
    assert partner_findings(data_copy) == []
    assert any(f.kind == "world" and f.explained for f in A.audit(data_copy))
