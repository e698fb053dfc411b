"""A finished chart into its files, each drawn once: the 150-dpi PNG download, the SVG, the inline image.

The PNG is drawn once into memory; the same pixels are written as the download (the bytes ``savefig(png,
dpi=150)`` writes) and scaled to the inline image, which is not read back from the file. While saving, the
placeholder layout engine that ``tight_layout`` leaves behind is taken off: with it, ``savefig`` draws the whole
figure once more before each format to lay it out, though the placeholder lays out nothing (a third of the export
time). The pictures are unchanged (tests/report/test_downloads.py, tests/report/test_chart_pixels.py).
"""

from contextlib import contextmanager

PNG_DPI = 150


@contextmanager
def laid_out(fig):
    """While in it, ``fig`` has no layout engine when it had only matplotlib's placeholder (nothing to lay out)."""
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    engine = fig.get_layout_engine()
    if isinstance(engine, PlaceHolderLayoutEngine):
        fig._layout_engine = None
    try:
        yield fig
    finally:
        fig._layout_engine = engine


def rgba(fig):
    """``fig`` drawn at PNG_DPI on white: an (height, width, 4) uint8 array, what ``savefig(png)`` draws."""
    import io

    import numpy as np

    buffer = io.BytesIO()
    fig.savefig(buffer, format="rgba", dpi=PNG_DPI, facecolor="white")
    pixels = len(buffer.getbuffer()) // 4
    # Agg's canvas is the size in inches x dpi cut to whole pixels, after a float product that may land just
    # under or over a whole number: the one (width, height) near it that holds exactly the pixels drawn
    near = [int(v * PNG_DPI) + d for v in fig.get_size_inches() for d in (-1, 0, 1)]
    sizes = {(w, h) for w in near[:3] for h in near[3:] if w * h == pixels}
    if len(sizes) == 1:
        (width, height), = sizes
        return np.frombuffer(buffer.getbuffer(), dtype=np.uint8).reshape(height, width, 4)
    from PIL import Image  # never a skewed image: the size from a PNG instead (one more draw)

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=PNG_DPI, facecolor="white")
    with Image.open(buffer) as image:
        return np.asarray(image.convert("RGBA"))


def write(fig, png, svg):
    """Write ``fig`` as ``png`` (PNG_DPI) and ``svg`` (text as text), each drawn once; the PNG's pixels."""
    import matplotlib
    import matplotlib.image

    with laid_out(fig):
        pixels = rgba(fig)
        matplotlib.image.imsave(png, pixels, format="png", dpi=PNG_DPI)  # the bytes savefig(png) writes
        with matplotlib.rc_context({"svg.fonttype": "none"}):  # text stays text: searchable, editable
            fig.savefig(svg, facecolor="white")
    return pixels


def inline_png(pixels, size) -> bytes:
    """``pixels`` (the download's) scaled to ``size`` (width, height) as PNG bytes: the inline image."""
    import io

    from PIL import Image

    with Image.fromarray(pixels, "RGBA") as image:
        small = image.convert("RGB").resize(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    small.save(buffer, format="PNG", compress_level=3)  # same pixels; faster than zlib's default, no bigger here
    return buffer.getvalue()


__all__ = ["PNG_DPI", "inline_png", "laid_out", "rgba", "write"]
