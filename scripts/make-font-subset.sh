#!/usr/bin/env bash
# Dev-time only: rebuilds assets/fonts/ from Debian's OFL-licensed Noto CJK fonts. Nothing at test or
# run time depends on this script or on the tools it uses.
#
#   apt-get install -y fonts-noto-cjk python3-fonttools      # Debian 12: fonts-noto-cjk 1:20220127+repack1-1, fonttools 4.38
#   bash scripts/make-font-subset.sh
#
# What it makes, from the "SC" faces of Noto Serif CJK (宋体-style type, the type official seals use):
#   assets/fonts/NotoSerifCJKsc-Bold-GB2312.ttf     seal font (Bold: seal strokes are heavy)
#   assets/fonts/NotoSerifCJKsc-Regular-GB2312.ttf  document font (Regular, for body text in PDF/OFD)
# each cut down to
#   - the whole GB 2312 character set: its 6763 hanzi and its 682 symbols (full-width forms, CJK
#     punctuation, kana, Greek, Cyrillic, box drawing ...),
#   - printable ASCII U+0020..U+007E (so 统一社会信用代码 digits and capital letters),
#   - CJK Symbols and Punctuation U+3000..U+303F, Halfwidth and Fullwidth Forms U+FF01..U+FF5E and
#     U+FFE0..U+FFE6, and a few typographic marks (· ‘ ’ “ ” — … ¥ © ® °),
# with the CFF outlines converted to TrueType (glyf) quadratic outlines (cu2qu, max error 1 unit of
# 1000), no hinting, no subroutines, layout features limited to vertical forms (vert, vrt2).
# TrueType outlines because the PDF and OFD code embed per-document subsets of this font
# (fontkit's TTF subsetter handles glyf fonts; CFF subsets are not what those writers expect).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT_DIR="$HERE/assets/fonts"
NOTO="${NOTO_DIR:-/usr/share/fonts/opentype/noto}"
FONT_NUMBER=2                     # faces in the .ttc: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK
PY="${PYTHON:-/usr/bin/python3}"  # Debian's python3 has python3-fonttools

for f in NotoSerifCJK-Bold.ttc NotoSerifCJK-Regular.ttc; do
  [ -f "$NOTO/$f" ] || { echo "missing $NOTO/$f: apt-get install -y fonts-noto-cjk" >&2; exit 1; }
done
"$PY" -c 'import fontTools' 2>/dev/null || { echo "fontTools missing: apt-get install -y python3-fonttools" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT_DIR"

# 1. The code points to keep, one U+XXXX per line.
"$PY" - "$WORK/unicodes.txt" <<'PY'
import sys
cps = set()
# GB 2312: rows 0xA1..0xF7, cells 0xA1..0xFE; every code the codec decodes is a character of the set.
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            ch = bytes([hi, lo]).decode('gb2312')
        except UnicodeDecodeError:
            continue
        cps.add(ord(ch))
hanzi = [c for c in cps if 0x4E00 <= c <= 0x9FFF]
assert len(hanzi) == 6763, len(hanzi)
cps.update(range(0x20, 0x7F))
cps.update(range(0x3000, 0x3040))
cps.update(range(0xFF01, 0xFF5F))
cps.update(range(0xFFE0, 0xFFE7))
cps.update([0x00B7, 0x2018, 0x2019, 0x201C, 0x201D, 0x2014, 0x2026, 0x00A5, 0x00A9, 0x00AE, 0x00B0])
with open(sys.argv[1], 'w') as f:
    for c in sorted(cps):
        f.write('U+%04X\n' % c)
print('code points:', len(cps), 'hanzi:', len(hanzi))
PY

# build SOURCE_TTC OUTPUT_NAME: steps 2 and 3 for one font.
build() {
# 2. Subset the CFF face (no hinting, no subroutines: the next step needs plain charstrings).
"$PY" -m fontTools.subset "$1" \
  --font-number="$FONT_NUMBER" \
  --unicodes-file="$WORK/unicodes.txt" \
  --layout-features='vert,vrt2' \
  --no-hinting --desubroutinize \
  --name-IDs='0,1,2,3,4,5,6,7,8,9,11,12,13,14' --name-languages='*' \
  --notdef-outline \
  --output-file="$WORK/$2.otf"

# 3. CFF -> TrueType outlines.
"$PY" - "$WORK/$2.otf" "$OUT_DIR/$2" <<'PY'
import sys
from fontTools.ttLib import TTFont, newTable
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen

src, dst = sys.argv[1], sys.argv[2]
font = TTFont(src, recalcTimestamp=False)  # keep head.modified: same input, same bytes
assert 'CFF ' in font, 'expected a CFF-flavoured font'
glyph_set = font.getGlyphSet()
order = font.getGlyphOrder()
glyphs = {}
for name in order:
    tt_pen = TTGlyphPen(glyph_set)
    # CFF contours run counter-clockwise, TrueType ones clockwise: reverse while converting.
    glyph_set[name].draw(Cu2QuPen(tt_pen, max_err=1.0, reverse_direction=True))
    glyphs[name] = tt_pen.glyph()

glyf = newTable('glyf')
glyf.glyphOrder = order
glyf.glyphs = glyphs
font['glyf'] = glyf
font['loca'] = newTable('loca')
del font['CFF ']
if 'VORG' in font:  # vertical origins table is for CFF fonts only
    del font['VORG']

maxp = font['maxp']
maxp.tableVersion = 0x00010000
for field in ('maxZones', 'maxTwilightPoints', 'maxStorage', 'maxFunctionDefs', 'maxInstructionDefs',
              'maxStackElements', 'maxSizeOfInstructions', 'maxComponentElements'):
    setattr(maxp, field, 0)
maxp.maxZones = 1
maxp.maxComponentDepth = 0

post = font['post']
post.formatType = 3.0   # no glyph names: smaller, and PDF/OFD embedding does not need them
post.extraNames = []
post.mapping = {}

font['head'].glyphDataFormat = 0
font.sfntVersion = '\x00\x01\x00\x00'
font.save(dst)

# Round-trip check: parse what was written and compare glyph counts and the cmap.
check = TTFont(dst)
assert 'glyf' in check and 'CFF ' not in check
assert len(check.getGlyphOrder()) == len(order)
cmap = check.getBestCmap()
missing = [c for c in (0x56FD, 0x7AE0, 0x5370, 0x0030, 0x0041, 0x3002, 0xFF08) if c not in cmap]
assert not missing, missing
print('glyphs:', len(order), 'cmap entries:', len(cmap))
PY

  ls -l "$OUT_DIR/$2"
}

# The seal font (bold: seal strokes are heavy) and the document font (regular, for body text).
build "$NOTO/NotoSerifCJK-Bold.ttc" NotoSerifCJKsc-Bold-GB2312.ttf
build "$NOTO/NotoSerifCJK-Regular.ttc" NotoSerifCJKsc-Regular-GB2312.ttf
