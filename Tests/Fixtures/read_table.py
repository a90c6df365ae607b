"""Reads an exported table with third-party readers and prints it as JSON rows (lists of
strings, None for empty cells): openpyxl for .xlsx, the csv module for .csv (after checking the
UTF-8 byte order mark).

  read_table.py FILE
"""
import csv
import json
import sys

path = sys.argv[1]
if path.endswith(".xlsx"):
    import openpyxl
    workbook = openpyxl.load_workbook(path, read_only=True)
    sheet = workbook.worksheets[0]
    rows = [[None if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    print(json.dumps({"sheet": sheet.title, "rows": rows}, ensure_ascii=False))
else:
    with open(path, "rb") as handle:
        bom = handle.read(3) == b"\xef\xbb\xbf"
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = [row for row in csv.reader(handle)]
    print(json.dumps({"bom": bom, "rows": rows}, ensure_ascii=False))
