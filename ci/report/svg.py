"""A self-contained SVG line chart (no plotting library): one polyline per series, axes with
ticks, a legend. Used inline in the HTML page and as .svg files next to the Markdown page."""
from html import escape

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"]
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 70, 130, 30, 40


def _ticks(low, high, count=5):
    if high <= low:
        high = low + 1
    step = (high - low) / (count - 1)
    return [low + i * step for i in range(count)]


def _label(value):
    if abs(value) >= 1e6:
        return f"{value / 1e6:.1f}M"
    if abs(value) >= 1e4:
        return f"{value / 1e3:.0f}k"
    return f"{value:.0f}" if float(value).is_integer() or abs(value) >= 10 else f"{value:.1f}"


def line_chart(title, series, x_label, y_label):
    """series: {name: [(x, y), ...]}. Returns the <svg> element as a string."""
    points = [p for values in series.values() for p in values]
    x_max = max((x for x, _ in points), default=1) or 1
    y_max = max((y for _, y in points), default=1) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(x):
        return LEFT + plot_w * x / x_max

    def sy(y):
        return TOP + plot_h * (1 - y / y_max)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">',
           f'<title>{escape(title)}</title>',
           f'<text x="{LEFT}" y="18" font-size="13" font-weight="bold">{escape(title)}</text>',
           f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#888"/>']
    for y in _ticks(0, y_max):
        out.append(f'<line x1="{LEFT - 4}" y1="{sy(y):.1f}" x2="{LEFT + plot_w}" y2="{sy(y):.1f}" stroke="#ddd"/>'
                   f'<text x="{LEFT - 6}" y="{sy(y) + 4:.1f}" text-anchor="end">{_label(y)}</text>')
    for x in _ticks(0, x_max):
        out.append(f'<text x="{sx(x):.1f}" y="{TOP + plot_h + 14}" text-anchor="middle">{_label(x)}</text>')
    out.append(f'<text x="{LEFT + plot_w / 2:.0f}" y="{HEIGHT - 6}" text-anchor="middle">{escape(x_label)}</text>')
    out.append(f'<text transform="translate(14 {TOP + plot_h / 2:.0f}) rotate(-90)" text-anchor="middle">'
               f'{escape(y_label)}</text>')
    for index, (name, values) in enumerate(series.items()):
        color = COLORS[index % len(COLORS)]
        coords = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in sorted(values))
        out.append(f'<polyline class="series" data-series="{escape(name)}" points="{coords}" fill="none" '
                   f'stroke="{color}" stroke-width="2"/>')
        legend_y = TOP + 14 + 16 * index
        out.append(f'<line x1="{LEFT + plot_w + 10}" y1="{legend_y - 4}" x2="{LEFT + plot_w + 28}" '
                   f'y2="{legend_y - 4}" stroke="{color}" stroke-width="2"/>'
                   f'<text x="{LEFT + plot_w + 32}" y="{legend_y}">{escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out)
