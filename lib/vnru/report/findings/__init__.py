"""Key findings: three to six sentences written from the numbers of one run, shown at the top of a report.

One pure function per notebook takes the frames and values that notebook computed and returns a list of
:class:`Finding` sentences: each is text that carries the values it was built from and the source ids they
rest on, so a finding can be traced to the data (the manifest's ``findings``). A sentence whose numbers are
missing is left out, never filled in. The rules of evidence (headline, latest, leader, breaks, ranges) are
applied before a value reaches a sentence (vnru.analysis.evidence). ``Slot`` shows the findings at the top of
a notebook although they are computed at its end (an updatable display), and records them.

One module per report: ``core`` (Finding, the HTML block, Slot), ``of_trade``, ``of_products``,
``of_investment``, ``of_timeline``, ``of_people``, ``of_partners``. Their words come from vnru.report.labels,
their numbers and dates from vnru.report.formats (re-exported here under the names reports have used).
"""

from vnru.data.conventions import MONTHS
from vnru.report.findings.core import PLACEHOLDER, Finding, Slot, html_block, records, render
from vnru.report.findings.of_investment import investment
from vnru.report.findings.of_partners import context_line, partners, share_clause, share_sentence
from vnru.report.findings.of_people import people
from vnru.report.findings.of_products import products_composition, products_reported
from vnru.report.findings.of_timeline import timeline
from vnru.report.findings.of_trade import trade
from vnru.report.formats import count, money, ordinal, pct, period
from vnru.report.formats import is_missing as missing
from vnru.report.labels import DIRECTION_WORDS, FLOW_NAMES, LEVEL_NAMES
from vnru.report.labels import REPORTER_COUNTRIES as REPORTER_NAMES

__all__ = [
    "DIRECTION_WORDS", "FLOW_NAMES", "LEVEL_NAMES", "MONTHS", "PLACEHOLDER", "REPORTER_NAMES", "Finding", "Slot",
    "context_line", "count", "html_block", "investment", "missing", "money", "ordinal", "partners", "pct", "people", "period",
    "products_composition", "products_reported", "records", "render", "share_clause", "share_sentence", "timeline",
    "trade",
]
