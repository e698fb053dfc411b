"""SYNTHETIC UN Comtrade files for the tests: the real column layouts, made-up rows and values.

None of these figures is real trade data; only the column names and codes follow Comtrade's layouts.
"""

import csv
import json
from pathlib import Path

# The 47 columns of a comtradeplus / API export, in order.
PLUS_COLUMNS = ["typeCode", "freqCode", "refPeriodId", "refYear", "refMonth", "period", "reporterCode", "reporterISO", "reporterDesc", "flowCode", "flowDesc", "partnerCode", "partnerISO", "partnerDesc", "partner2Code", "partner2ISO", "partner2Desc", "classificationCode", "classificationSearchCode", "isOriginalClassification", "cmdCode", "cmdDesc", "aggrLevel", "isLeaf", "customsCode", "customsDesc", "mosCode", "motCode", "motDesc", "qtyUnitCode", "qtyUnitAbbr", "qty", "isQtyEstimated", "altQtyUnitCode", "altQtyUnitAbbr", "altQty", "isAltQtyEstimated", "netWgt", "isNetWgtEstimated", "grossWgt", "isGrossWgtEstimated", "cifvalue", "fobvalue", "primaryValue", "legacyEstimationFlag", "isReported", "isAggregate"]
# The legacy Comtrade CSV (22-column variant).
LEGACY_COLUMNS = ["Classification", "Year", "Period", "Period Desc.", "Aggregate Level", "Is Leaf Code", "Trade Flow Code", "Trade Flow", "Reporter Code", "Reporter", "Reporter ISO", "Partner Code", "Partner", "Partner ISO", "Commodity Code", "Commodity", "Qty Unit Code", "Qty Unit", "Qty", "Netweight (kg)", "Trade Value (US$)", "Flag"]
COUNTRIES = {"704": ("VNM", "Viet Nam"), "643": ("RUS", "Russian Federation"), "0": ("W00", "World"),
             "156": ("CHN", "China")}
FLOWS = {"X": "Export", "M": "Import", "RX": "Re-export", "RM": "Re-import"}


def plus_row(period, reporter, flow, partner, code, desc, value, net_wgt="", partner2="0", customs="C00", mot="0"):
    """One comtradeplus row; ``period`` 2023 (annual) or 202301 (monthly)."""
    period = str(period)
    monthly = len(period) == 6
    rep, par = COUNTRIES[reporter], COUNTRIES[partner]
    values = {
        "typeCode": "C", "freqCode": "M" if monthly else "A", "refPeriodId": f"{period[:4]}{period[4:6] or '01'}01",
        "refYear": period[:4], "refMonth": str(int(period[4:])) if monthly else "52", "period": period,
        "reporterCode": reporter, "reporterISO": rep[0], "reporterDesc": rep[1], "flowCode": flow,
        "flowDesc": FLOWS.get(flow, flow), "partnerCode": partner, "partnerISO": par[0], "partnerDesc": par[1],
        "partner2Code": partner2, "partner2ISO": "W00", "partner2Desc": "World", "classificationCode": "H6",
        "classificationSearchCode": "HS", "isOriginalClassification": "True", "cmdCode": code, "cmdDesc": desc,
        "aggrLevel": "0" if code == "TOTAL" else str(len(code)), "isLeaf": "False", "customsCode": customs,
        "customsDesc": "TOTAL CPC", "mosCode": "0", "motCode": mot, "motDesc": "TOTAL MOT", "qtyUnitCode": "8",
        "qtyUnitAbbr": "kg", "qty": net_wgt, "isQtyEstimated": "False", "altQtyUnitCode": "-1", "altQtyUnitAbbr": "",
        "altQty": "", "isAltQtyEstimated": "False", "netWgt": net_wgt, "isNetWgtEstimated": "False", "grossWgt": "",
        "isGrossWgtEstimated": "False", "cifvalue": "", "fobvalue": "", "primaryValue": value,
        "legacyEstimationFlag": "0", "isReported": "True", "isAggregate": "True",
    }
    return [values[c] for c in PLUS_COLUMNS]


def legacy_row(period, reporter, flow_code, partner, code, desc, value, net_wgt=""):
    """One legacy row; ``flow_code`` 1 import, 2 export, 3 re-export, 4 re-import."""
    rep, par = COUNTRIES[reporter], COUNTRIES[partner]
    flow = {"1": "Import", "2": "Export", "3": "Re-Export", "4": "Re-Import"}[flow_code]
    period = str(period)
    return ["HS", period[:4], period, period, "0" if code == "TOTAL" else str(len(code)), "0", flow_code, flow,
            reporter, rep[1], rep[0], partner, par[1], par[0], code, desc, "8", "Weight in kilograms", net_wgt,
            net_wgt, value, "0"]


def write_csv(path: Path, columns, rows, encoding="utf-8") -> Path:
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    return path


def write_json(path: Path, rows) -> Path:
    records = [dict(zip(PLUS_COLUMNS, row, strict=True)) for row in rows]
    for record in records:  # the API returns numbers as numbers
        for key in ("reporterCode", "partnerCode", "partner2Code", "motCode", "refYear", "period"):
            record[key] = int(record[key])
        record["primaryValue"] = float(record["primaryValue"])
        record["netWgt"] = float(record["netWgt"]) if record["netWgt"] else None
    path.write_text(json.dumps({"elapsedTime": "0.1 secs", "count": len(records), "data": records, "error": ""}),
                    encoding="utf-8")
    return path


def annual_rows():
    """VN and RU reporting both flows for 2022 and 2023, plus rows the importer must skip (counted)."""
    return [
        plus_row(2022, "704", "X", "643", "85", "Electrical machinery and equipment", "1000000000", "5000000"),
        plus_row(2022, "704", "X", "643", "09", "Coffee, tea, mate and spices", "250000000", "100000000"),
        plus_row(2023, "704", "X", "643", "85", "Electrical machinery and equipment", "800000000"),
        plus_row(2023, "704", "X", "643", "09", "Coffee, tea, mate and spices", "300000000"),
        plus_row(2023, "704", "M", "643", "27", "Mineral fuels, mineral oils", "400000000"),
        plus_row(2023, "704", "M", "643", "01", "Animals; live", "1500000"),
        plus_row(2023, "643", "M", "704", "85", "Electrical machinery and equipment", "900000000"),
        plus_row(2023, "643", "M", "704", "09", "Coffee, tea, mate and spices", "320000000"),
        plus_row(2023, "643", "X", "704", "27", "Mineral fuels, mineral oils", "450000000"),
        # skipped: totals, other partners, re-exports, breakdowns
        plus_row(2023, "704", "X", "643", "TOTAL", "All Commodities", "1100000000"),
        plus_row(2023, "704", "X", "0", "85", "Electrical machinery and equipment", "50000000000"),
        plus_row(2023, "704", "X", "156", "85", "Electrical machinery and equipment", "20000000000"),
        plus_row(2023, "704", "RX", "643", "85", "Electrical machinery and equipment", "5000000"),
        plus_row(2023, "704", "X", "643", "85", "Electrical machinery and equipment", "1000", mot="2100"),
    ]
