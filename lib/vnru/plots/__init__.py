"""Charts: functions that draw on a matplotlib Axes, return it, and carry a source line.

matplotlib is imported here, not at ``import vnru``: the first plot pays for it.
"""

from vnru.plots import trade
from vnru.plots.common import add_source_line, new_axes, style_axes

__all__ = ["add_source_line", "new_axes", "style_axes", "trade"]
