"""Charts: functions that draw on a matplotlib Axes, return it, and carry a source line.

matplotlib is imported here, not at ``import vnru``: the first plot pays for it.
"""

from vnru.report.plots import investment, partners, people, products, timeline, trade
from vnru.report.plots.common import add_source_line, new_axes, style_axes
from vnru.report.plots.timeline import plot_timeline, plot_visits_by_decade

__all__ = ["add_source_line", "investment", "new_axes", "partners", "people", "plot_timeline", "plot_visits_by_decade", "products",
           "style_axes", "timeline", "trade"]
