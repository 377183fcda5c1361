#!/usr/bin/env python3
"""Assembles the hand-written evaluation corpus into the import format of
`yiwang hotline import-history` (title,text,category,matter,unit,created_at).

The texts in src/*.txt are written by hand, one order a line: category|matter leaf|unit short
name|title|text. This script only changes the format (full matter path and unit name, the
category word, a creation time spread over 2025 from a hash of the text); it writes no text.
src/b*.txt make corpus.csv (cross-validated); src/s*.txt, written last and never used to choose
the model or its settings, make sealed.csv (scored once). Run: python3 build_corpus.py"""
import csv, glob, hashlib, io, os, sys

here = os.path.dirname(os.path.abspath(__file__))
cats = {"咨": "咨询", "求": "求助", "投": "投诉", "举": "举报", "建": "建议", "表": "表扬"}
matters = {}
for line in open(os.path.join(here, "matters.tsv"), encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    mid, top, leaf = line.rstrip("\n").split("\t")
    matters[leaf] = top + "/" + leaf
units = {}
for line in open(os.path.join(here, "units.tsv"), encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    uid, short, full = line.rstrip("\n").split("\t")
    units[short] = full


def build(pattern, out):
    rows = []
    for path in sorted(glob.glob(os.path.join(here, "src", pattern))):
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("|")
            if len(parts) != 5:
                sys.exit(f"{path}:{n}: want 5 fields, got {len(parts)}")
            cat, leaf, unit, title, text = parts
            if cat not in cats or leaf not in matters or unit not in units:
                sys.exit(f"{path}:{n}: unknown category, matter or unit: {cat} {leaf} {unit}")
            h = int(hashlib.sha1(text.encode()).hexdigest()[:8], 16)
            day, sec = 1 + h % 365, h // 365 % 36000 + 8 * 3600
            import datetime
            t = datetime.datetime(2025, 1, 1) + datetime.timedelta(days=day - 1, seconds=sec)
            rows.append([title, text, cats[cat], matters[leaf], units[unit], t.strftime("%Y-%m-%d %H:%M:%S")])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["title", "text", "category", "matter", "unit", "created_at"])
    w.writerows(rows)
    with open(os.path.join(here, out), "w", encoding="utf-8-sig", newline="") as f:
        f.write(buf.getvalue())
    return len(rows)


print("corpus.csv", build("b*.txt", "corpus.csv"), "rows; sealed.csv", build("s*.txt", "sealed.csv"), "rows")
