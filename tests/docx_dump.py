"""Dump a DOCX as JSON, read by python-docx (an independent reader of the
plan's Word document; Debian's python3-docx, run as /usr/bin/python3).

Usage: docx_dump.py FILE.docx

Prints the core properties (title, language), the first section's page
size and margins in twips, and the body in order: each paragraph with its
style name and text (runs inside hyperlinks included), each table with its
style name and its rows (cell texts, whether the row repeats as a header
row, whether every run in it is bold).
"""

import json
import sys

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

TWIPS = 635  # EMU per twentieth of a point


def text(p):
    return "".join(Run(r, p).text for r in p._p.xpath(".//w:r"))


def main(path):
    d = docx.Document(path)
    body = []
    for el in d.element.body.iterchildren():
        if el.tag == qn("w:p"):
            p = Paragraph(el, d)
            body.append({"paragraph": p.style.name, "text": text(p)})
        elif el.tag == qn("w:tbl"):
            t = Table(el, d)
            rows = []
            for r in t.rows:
                runs = [run for c in r.cells for p in c.paragraphs for run in p.runs]
                rows.append(
                    {
                        "cells": [c.text for c in r.cells],
                        "header": bool(r._tr.xpath("./w:trPr/w:tblHeader")),
                        "bold": bool(runs) and all(run.bold for run in runs),
                    }
                )
            body.append({"table": t.style.name, "rows": rows})
    s = d.sections[0]
    print(
        json.dumps(
            {
                "title": d.core_properties.title,
                "language": d.core_properties.language,
                "page": [s.page_width // TWIPS, s.page_height // TWIPS],
                "margins": [
                    m // TWIPS
                    for m in (s.top_margin, s.right_margin, s.bottom_margin, s.left_margin)
                ],
                "body": body,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
