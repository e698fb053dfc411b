"""Charts: functions that draw on a matplotlib Axes, return it, and carry a source line.

matplotlib is imported here, not at ``import vnru``: the first plot pays for it.
"""

from vnru.plots.common import add_source_line, new_axes, style_axes
from vnru.plots import trade  # noqa: E402  (trade charts: vnru.plots.trade)

__all__ = ["add_source_line", "new_axes", "style_axes", "trade"]
