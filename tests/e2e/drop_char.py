#!/usr/bin/env python3
"""Writes a copy of a TrueType font whose cmap no longer maps one character:
a font that lacks it, for the test that kyodo never draws glyph 0 (.notdef).

Usage: drop_char.py IN.ttf OUT.ttf CODEPOINT(hex)

The new cmap has one (3,1) format 4 subtable with one segment per
character of the font's own (3,1) subtable, less the one dropped (the
table checksums are not recomputed: HarfBuzz does not read them).
"""
import struct
import sys

src, dst, drop = sys.argv[1], sys.argv[2], int(sys.argv[3], 16)
data = open(src, "rb").read()
num_tables = struct.unpack(">H", data[4:6])[0]
tables = {}
for i in range(num_tables):
    tag, checksum, offset, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
    tables[tag] = (checksum, offset, length)

_, cmap_at, _ = tables[b"cmap"]
count = struct.unpack(">H", data[cmap_at + 2:cmap_at + 4])[0]
mapping = {}
for i in range(count):
    platform, encoding, offset = struct.unpack(">HHI", data[cmap_at + 4 + 8 * i:cmap_at + 12 + 8 * i])
    sub = cmap_at + offset
    if (platform, encoding) != (3, 1) or struct.unpack(">H", data[sub:sub + 2])[0] != 4:
        continue
    seg_count = struct.unpack(">H", data[sub + 6:sub + 8])[0] // 2
    ends_at = sub + 14
    starts_at = ends_at + 2 * seg_count + 2
    deltas_at = starts_at + 2 * seg_count
    ranges_at = deltas_at + 2 * seg_count
    for s in range(seg_count):
        end, = struct.unpack(">H", data[ends_at + 2 * s:ends_at + 2 * s + 2])
        start, = struct.unpack(">H", data[starts_at + 2 * s:starts_at + 2 * s + 2])
        delta, = struct.unpack(">h", data[deltas_at + 2 * s:deltas_at + 2 * s + 2])
        range_offset, = struct.unpack(">H", data[ranges_at + 2 * s:ranges_at + 2 * s + 2])
        for cp in range(start, end + 1):
            if cp == 0xFFFF:
                continue
            if range_offset == 0:
                glyph = (cp + delta) & 0xFFFF
            else:
                at = ranges_at + 2 * s + range_offset + 2 * (cp - start)
                glyph, = struct.unpack(">H", data[at:at + 2])
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                mapping[cp] = glyph
assert drop in mapping, "the font has no U+%04X to drop" % drop
del mapping[drop]

cps = sorted(mapping) + [0xFFFF]
seg_count = len(cps)
ends = b"".join(struct.pack(">H", cp) for cp in cps)
starts = ends
deltas = b"".join(struct.pack(">H", (mapping.get(cp, 1) - cp) & 0xFFFF) for cp in cps)
ranges = b"\0\0" * seg_count
search = 1 << (seg_count.bit_length() - 1)  # the largest power of 2 <= seg_count
body = struct.pack(">HHH", 2 * seg_count, 2 * search, search.bit_length() - 1) + \
    struct.pack(">H", 2 * seg_count - 2 * search) + ends + b"\0\0" + starts + deltas + ranges
subtable = struct.pack(">HHH", 4, 6 + len(body), 0) + body
cmap = struct.pack(">HHHHI", 0, 1, 3, 1, 12) + subtable

# The font again, its cmap replaced, its tables in their order.
order = sorted(tables, key=lambda t: tables[t][1])
out = bytearray(data[:12 + 16 * num_tables])
entries = {}
for tag in order:
    _, offset, length = tables[tag]
    table = cmap if tag == b"cmap" else data[offset:offset + length]
    entries[tag] = (len(out), len(table))
    out += table + b"\0" * (-len(table) % 4)
for i, tag in enumerate(sorted(tables)):
    checksum = tables[tag][0]
    struct.pack_into(">4sIII", out, 12 + 16 * i, tag, checksum, entries[tag][0], entries[tag][1])
open(dst, "wb").write(bytes(out))
