"""Charts of product-level trade: reported figures over time, composition, concentration, growth, mirror gap."""

import textwrap

import numpy as np
from matplotlib.patches import Rectangle

from vnru.report.chartdata import attach
from vnru.report.formats import money
from vnru.report.labels import FLOW_TITLES, REPORTER_STATISTICS
from vnru.report.palette import ALTERNATIVE, CATEGORICAL
from vnru.report.plots.common import (
    COLORS,
    add_source_line,
    legend_below,
    palette,
    style_axes,
    thousands,
    value_grid,
    year_axis,
)


def _short(text, width=38):
    return textwrap.shorten(str(text), width=width, placeholder="…")


def _legend_below(ax, ncol=2):
    legend_below(ax, ncol=ncol, below=0.14, fontsize=8.5)


def plot_reported(ax, rows, flow, sources=None, top=8):
    """Values per product over the years as the sources report them: full years joined by lines, partial
    periods as hollow markers, figures that another source contradicts ringed in black."""
    rows = rows[(rows["flow"] == flow) & rows["value_usd_m"].notna()]
    if "group" not in rows:  # one line per product across the sources' spellings (product_view.with_groups)
        from vnru.analysis.product_view import with_groups

        rows = with_groups(rows)
    ranking = rows.groupby("group")["value_usd_m"].max().sort_values(ascending=False)
    chosen = list(ranking.index[:top])
    names = rows.drop_duplicates("group").set_index("group")["group_name"]
    aggregate = rows.groupby("group")["aggregate"].any().to_dict() if "aggregate" in rows else {}
    reporters = sorted(set(rows["reporter"]), reverse=True)  # VN first
    for k, (color, group) in enumerate(zip(palette.categorical(len(chosen)), chosen, strict=True)):
        for reporter in reporters:  # one line per reporter: mirror figures are never joined
            mine = rows[(rows["group"] == group) & (rows["reporter"] == reporter)]
            if mine.empty:
                continue
            label = _short(names[group]) + (f" ({reporter})" if len(reporters) > 1 else "") + \
                (" [aggregate]" if aggregate.get(group, False) else "")  # many products in one figure
            full = mine[~mine["partial"]].groupby("year")["value_usd_m"].max()
            if len(full):  # a year without a figure breaks the line: nothing is drawn across a gap
                full = full.reindex(range(int(full.index.min()), int(full.index.max()) + 1))
            # dashed: Russia's statistics; dotted: a colour used again (past the palette's categorical colours)
            style = "--" if reporter != "VN" else ":" if k >= len(palette.CATEGORICAL) else "-"
            ax.plot(full.index, full.to_numpy(), marker="o", color=color, label=label, linewidth=1.6, linestyle=style)
            part = mine[mine["partial"]]
            ax.scatter(part["year"], part["value_usd_m"], facecolors="none", edgecolors=[color], s=40, zorder=3)
            clash = mine[mine["conflict"]]
            ax.scatter(clash["year"], clash["value_usd_m"], facecolors="none", edgecolors=palette.MARK, s=110,
                       linewidths=0.8, zorder=4)
    rows = rows.assign(product=rows["group"])  # the lines below select by the chosen groups
    years = rows.loc[rows["product"].isin(chosen), "year"]
    year_axis(ax, int(years.min()), int(years.max()))
    ax.set_ylim(0, float(rows.loc[rows["product"].isin(chosen), "value_usd_m"].max()) * 1.12)
    style_axes(ax, f"{FLOW_TITLES[flow]}: products as the sources report them", "Year", "USD millions")
    thousands(ax)
    _legend_below(ax)
    note = ("Lines: full-year figures, broken where a year has none (dashed: Russia's statistics); hollow markers: part of a year (see table); "
            "black rings: another source gives a different figure.")
    return add_source_line(ax, rows[rows["product"].isin(chosen)]["source_id"], sources=sources, note=note)


def plot_shares(ax, top, flow, reporter, source_ids, sources=None):
    """Stacked shares of the top products (and "all other products") by year, in percent of the flow."""
    data = top[(top["flow"] == flow) & (top["reporter"] == reporter)]
    data = data.assign(name=[n if c == "other" else f"{c} {n}" for c, n in zip(data["hs_code"], data["name"],
                                                                                strict=True)])
    table = data.pivot_table(index="year", columns="name", values="share_pct", aggfunc="sum", sort=False).fillna(0)
    order = data.drop_duplicates("name")["name"].tolist()
    table = table[order]
    bottom = np.zeros(len(table))
    colors = palette.categorical(len(order))
    for k, (color, name) in enumerate(zip(colors, order, strict=True)):
        color = palette.ALTERNATIVE if name == "all other products" else color
        ax.bar(table.index.astype(str), table[name].to_numpy(), bottom=bottom, color=color, label=_short(name, 45),
               width=0.75, hatch="//" if k >= len(palette.CATEGORICAL) else None, edgecolor=palette.HOLLOW,
               linewidth=0.3)
        bottom += table[name].to_numpy()
    if len(table) > 12:
        ax.set_xticks(range(len(table)), table.index.astype(str), rotation=90)
    style_axes(ax, f"{FLOW_TITLES[flow]}: share of each product ({reporter} statistics)", "Year",
               "share of the flow, %")
    ax.set_ylim(0, 100)
    _legend_below(ax)
    return add_source_line(ax, source_ids, sources=sources)


def plot_hhi(ax, index, source_ids, sources=None):
    """Concentration (HHI, 0-10,000) by year for each flow and reporter."""
    for (flow, reporter), rows in index.groupby(["flow", "reporter"], observed=True):
        ax.plot(rows["year"], rows["hhi"], marker="o", label=f"{FLOW_TITLES[flow]} ({reporter} statistics)",
                color=COLORS[flow], linestyle="-" if reporter == "VN" else "--")
    year_axis(ax, int(index["year"].min()), int(index["year"].max()))
    style_axes(ax, "Concentration of trade across products (Herfindahl-Hirschman index)", "Year",
               "HHI (0 = spread, 10,000 = one product)")
    ax.set_ylim(0, max(float(index["hhi"].max()) * 1.15, 1.0) if len(index) else 1.0)
    _legend_below(ax, ncol=1)
    return add_source_line(ax, source_ids, sources=sources)


def plot_contributions(ax, parts, year, source_ids, sources=None, top=10):
    """The products that added most to, and took most from, the change of a flow's total in ``year``."""
    rows = parts.reindex(parts["contribution_pp"].abs().sort_values(ascending=False).index[:top])
    rows = rows.sort_values("contribution_pp")
    colors = [palette.SIGN[v >= 0] for v in rows["contribution_pp"]]
    labels = [_short(f"{c} {n}", 45) for c, n in zip(rows["hs_code"], rows["name"], strict=True)]
    ax.barh(range(len(rows)), rows["contribution_pp"], color=colors)
    ax.set_yticks(range(len(rows)), labels, fontsize=8.5)
    ax.axvline(0, color=palette.RULE, linewidth=0.8)
    total = parts["total_growth_pct"].iloc[0] if len(parts) else float("nan")
    style_axes(ax, f"Contributions to the change of the total, {year - 1}→{year} (total {total:+.1f} %)",
               "percentage points of the previous year's total", None)
    value_grid(ax, "x")
    return add_source_line(ax, source_ids, sources=sources)


def plot_mirror(ax, gap, year, flow, source_ids, sources=None, top=10):
    """Vietnam's and Russia's figures side by side for the largest chapters of one flow and year."""
    rows = gap.sort_values("value_vn", ascending=False).head(top).iloc[::-1]
    y = np.arange(len(rows))
    ax.barh(y - 0.2, rows["value_vn"], height=0.4, color=COLORS["VN"], label=REPORTER_STATISTICS["VN"])
    ax.barh(y + 0.2, rows["value_ru"], height=0.4, color=COLORS["RU"], label=f"{REPORTER_STATISTICS['RU']} (mirror)")
    ax.set_yticks(y, [_short(f"{c} {n}", 45) for c, n in zip(rows["hs_code"], rows["name"], strict=True)],
                  fontsize=8.5)
    style_axes(ax, f"{FLOW_TITLES[flow]}, {year}: each side's figure by product", "USD millions", None)
    thousands(ax, "x")
    value_grid(ax, "x")
    _legend_below(ax)
    return add_source_line(ax, source_ids, sources=sources)

def treemap_layout(values, width=1.0, height=1.0) -> list:
    """Rectangles (x, y, dx, dy) tiling a ``width`` x ``height`` box, one per value, each with an area
    proportional to its value, in the order given (largest first gives the squarest blocks): the squarified
    layout of Bruls, Huizing and van Wijk (2000), computed by the ``squarify`` package."""
    try:
        import squarify
    except ImportError:
        from vnru.errors import UsageError

        raise UsageError("the treemap of an imported Comtrade dataset needs squarify: pip install 'vnru[comtrade]'") \
            from None
    values = [float(v) for v in values]
    if not values or min(values) <= 0:
        raise ValueError("a treemap needs at least one value, all above zero")
    boxes = squarify.squarify(squarify.normalize_sizes(values, width, height), 0.0, 0.0, width, height)
    return [(b["x"], b["y"], b["dx"], b["dy"]) for b in boxes]


def plot_treemap(ax, blocks, source_ids, sources=None):
    """The composition of one flow in one year as a treemap: each block's area is proportional to the
    product's value, labelled with its name and share of the flow; "all other products" is one grey block.
    ``blocks``: one flow's rows of ``product_view.treemap_blocks``."""
    blocks = blocks.reset_index(drop=True)
    flow, reporter, year = blocks["flow"].iloc[0], blocks["reporter"].iloc[0], int(blocks["year"].iloc[0])
    boxes = treemap_layout(blocks["value_usd_m"], 100.0, 60.0)
    unlabelled = 0
    for i, ((x, y, dx, dy), row) in enumerate(zip(boxes, blocks.itertuples(), strict=True)):
        other = row.hs_code == "other"
        ax.add_patch(Rectangle((x, y), dx, dy, facecolor=ALTERNATIVE if other else CATEGORICAL[
            i % len(CATEGORICAL)], edgecolor=palette.SEPARATOR, linewidth=1.5))
        if dx < 9 or dy < 5:  # too small for a readable label: the table of top products names it
            unlabelled += 1
            continue
        name = row.name if other else f"{row.hs_code} {row.name}"
        text = textwrap.fill(_short(name, int(dx * 1.6)), width=max(int(dx / 1.3), 8), break_long_words=False)
        ax.text(x + 1, y + 1, f"{text}\n{row.share_pct:.1f} %", ha="left", va="top", fontsize=8.5,
                color=palette.TEXT, clip_on=True)
    ax.set_xlim(0, 100)
    ax.set_ylim(60, 0)  # the first (largest) block at the top left
    attach(ax, blocks[["flow", "reporter", "year", "hs_code", "name", "value_usd_m", "share_pct"]])
    ax.set_axis_off()
    ax.set_title(f"{FLOW_TITLES[flow]}, {year}: composition ({REPORTER_STATISTICS[reporter]})", loc="left",
                 fontsize=12, fontweight="bold")
    note = (f"Area proportional to value ({money(blocks['value_usd_m'].sum())} in all); share of the flow in "
            "percent." + (f" {unlabelled} small blocks unlabelled: see the table of top products." if unlabelled
                          else ""))
    return add_source_line(ax, source_ids, sources=sources, note=note)


__all__ = [
    "FLOW_TITLES", "plot_contributions", "plot_hhi", "plot_mirror", "plot_reported", "plot_shares", "plot_treemap",
    "treemap_layout",
]
