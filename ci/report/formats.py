"""The two renderings of a page (page.py): Markdown (charts as .svg files next to it, linked as
images) and one self-contained HTML file (charts inline, styles inline, no external resource)."""
from html import escape


def _md_cell(cell):
    if isinstance(cell, tuple):
        return f"[{cell[1]}]({cell[2]})"
    return str(cell).replace("|", "\\|").replace("\n", " ")


def markdown(page, chart_images=True):
    """With chart_images False (a page read away from its folder, e.g. a CI job summary), a chart
    is named instead of shown as an image."""
    out = [f"# {page['title']}", "", page["subtitle"], ""]
    for title, blocks in page["sections"]:
        out += [f"## {title}", ""]
        for block in blocks:
            if block[0] == "text":
                out += [block[1], ""]
            elif block[0] == "pre":
                out += ["```", block[1], "```", ""]
            elif block[0] == "chart" and chart_images:
                out += [f"![{block[1]}]({block[1]})", ""]
            elif block[0] == "chart":
                out += [f"Plot: {block[1]} and report.html in the artifacts.", ""]
            elif block[0] == "table":
                _, header, rows = block
                out.append("| " + " | ".join(_md_cell(c) for c in header) + " |")
                out.append("|" + "---|" * len(header))
                out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
                out.append("")
    return "\n".join(out)


def _html_cell(cell, tag):
    if isinstance(cell, tuple):
        return f'<{tag}><a href="{escape(cell[2])}">{escape(cell[1])}</a></{tag}>'
    text = escape(str(cell))
    css = {"PASS": "pass", "FAIL": "fail"}.get(str(cell)) or ("caught" if text.startswith("caught") else
                                                              "missed" if text == "missed" else "")
    text = text.replace("**", "")
    return f'<{tag} class="{css}">{text}</{tag}>' if css else f"<{tag}>{text}</{tag}>"


STYLE = """body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:3px 8px;
text-align:left;font-size:13px}th{background:#f0f0f0}.pass,.caught{background:#d8f5d8}
.fail,.missed{background:#f8d7d7}pre{background:#f6f6f6;padding:8px;overflow-x:auto;font-size:12px}
.verdict{font-size:20px;font-weight:bold}"""


def html(page):
    verdict_css = {"PASS": "pass", "FAIL": "fail"}.get(page["overall"], "")
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{escape(page['title'])}</title><style>{STYLE}</style></head><body>",
           f"<h1>{escape(page['title'])}</h1>",
           f'<p class="verdict {verdict_css}">Verdict: {escape(page["overall"])}</p>',
           f"<p>{escape(page['subtitle'])}</p>"]
    for title, blocks in page["sections"]:
        out.append(f"<h2>{escape(title)}</h2>")
        for block in blocks:
            if block[0] == "text":
                out.append(f"<p>{escape(block[1])}</p>")
            elif block[0] == "pre":
                out.append(f"<pre>{escape(block[1])}</pre>")
            elif block[0] == "chart":
                out.append(f"<figure>{block[2]}</figure>")
            elif block[0] == "table":
                _, header, rows = block
                out.append("<table><tr>" + "".join(_html_cell(c, "th") for c in header) + "</tr>")
                out += ["<tr>" + "".join(_html_cell(c, "td") for c in row) + "</tr>" for row in rows]
                out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out)
