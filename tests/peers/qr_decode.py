"""Reads the QR code a terminal screen shows, as a phone would, with a QR decoder nobody
here wrote (zxing-cpp). The screen comes on stdin as text, drawn without colours: a
frame, and inside it, from its first column, the code in half blocks (a filled half is
a light module). Prints what the code says.

Run by tests/console/mfa.rs.
"""

import sys

import zxingcpp
from PIL import Image

FILLED = {"█": (1, 1), "▀": (1, 0), "▄": (0, 1), " ": (0, 0)}

rows = sys.stdin.read().split("\n")
inner = [r[1:] for r in rows[1:] if r.startswith("│") and r[1:2] == "█"]
width = len(inner[0]) - len(inner[0].lstrip("█"))
assert width > 20, f"no quiet zone found in {inner[0]!r}"
cells = [row[:width] for row in inner]
scale = 8
image = Image.new("L", (width * scale, len(cells) * 2 * scale), 0)
for y, row in enumerate(cells):
    for x, ch in enumerate(row):
        top, bottom = FILLED[ch]
        for half, light in ((0, top), (1, bottom)):
            if light:
                for dy in range(scale):
                    for dx in range(scale):
                        image.putpixel((x * scale + dx, (y * 2 + half) * scale + dy), 255)
found = zxingcpp.read_barcodes(image)
assert found, "no QR code could be read"
print(found[0].text)
