#!/usr/bin/env python3
"""Write Folio's blank "New document" templates.

    scripts/make-templates.py [OUTDIR]

writes blank.docx, blank.xlsx, blank.pptx, blank.odt, blank.ods and blank.odp into OUTDIR
(default: Sources/FolioCore/Resources/Templates beside this script's repository).

The packages are written by hand with the standard library only, so that what goes into
them is exactly what is below: the smallest set of parts with which Microsoft Office (and
Office for the web), Collabora Online / LibreOffice and ONLYOFFICE open a document without
a repair prompt. tests/templates checks them with the reference readers.

Output is deterministic: every part is fixed text, the parts are written in a fixed order,
every zip entry has the same fixed timestamp and attributes, and the documents' own
metadata carries the fixed date below. Entries are STORED (not deflated) so the bytes do not
depend on the zlib build of the Python that runs this; both packaging standards allow stored
entries (ECMA-376 Part 2 §8.4, ODF 1.2 Part 3 §3.2) and the files stay a few kilobytes.
Rerunning gives byte-identical files; tests/templates checks that the committed templates
are exactly what this script makes.
"""

import os
import re
import sys
import zipfile

# The one date in the templates: zip entries and document metadata.
FIXED_DATE = (2025, 1, 1, 0, 0, 0)
W3CDTF = "2025-01-01T00:00:00Z"
GENERATOR = "Folio"

OOXML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
ODF_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'


def xml(decl, body):
    """The declaration and `body` with the whitespace between tags taken out.

    The parts below are indented for reading; no element in them has text that starts or
    ends with whitespace, so dropping whitespace between '>' and '<' changes nothing."""
    return (decl + re.sub(r">\s+<", "><", body.strip())).encode("utf-8")


def write_package(path, entries):
    """Write `entries` [(name, bytes)] to the zip at `path`, in order, all STORED."""
    tmp = path + ".tmp"
    with zipfile.ZipFile(tmp, "w") as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 0  # MS-DOS: no Unix mode bits from this machine
            info.external_attr = 0
            z.writestr(info, data)
    os.replace(tmp, path)


# ==== OOXML (ECMA-376) =========================================================

NS_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS_S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
RT_APP = R + "/extended-properties"
RT_DOC = R + "/officeDocument"

CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
CT_APP = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
CT_THEME = "application/vnd.openxmlformats-officedocument.theme+xml"
OFFICE = "application/vnd.openxmlformats-officedocument."


def content_types(overrides):
    """[Content_Types].xml: .rels and .xml by extension, every other part by name."""
    rows = "".join(
        f'<Override PartName="/{name}" ContentType="{ctype}"/>' for name, ctype in overrides
    )
    return xml(
        OOXML_DECL,
        f"""
<Types xmlns="{NS_CT}">
  <Default Extension="rels" ContentType="{CT_RELS}"/>
  <Default Extension="xml" ContentType="application/xml"/>
  {rows}
</Types>""",
    )


def relationships(rels):
    """A .rels part: rels is [(type, target)], given ids rId1, rId2, ... in order."""
    rows = "".join(
        f'<Relationship Id="rId{i}" Type="{rtype}" Target="{target}"/>'
        for i, (rtype, target) in enumerate(rels, start=1)
    )
    return xml(OOXML_DECL, f'<Relationships xmlns="{NS_REL}">{rows}</Relationships>')


def package_rels(main_part):
    return relationships([(RT_DOC, main_part), (RT_CORE, "docProps/core.xml"), (RT_APP, "docProps/app.xml")])


def core_xml():
    return xml(
        OOXML_DECL,
        f"""
<cp:coreProperties
    xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:dcterms="http://purl.org/dc/terms/"
    xmlns:dcmitype="http://purl.org/dc/dcmitype/"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <cp:revision>1</cp:revision>
  <dcterms:created xsi:type="dcterms:W3CDTF">{W3CDTF}</dcterms:created>
  <dcterms:modified xsi:type="dcterms:W3CDTF">{W3CDTF}</dcterms:modified>
</cp:coreProperties>""",
    )


def app_xml(extra=""):
    return xml(
        OOXML_DECL,
        f"""
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">
  <Application>{GENERATOR}</Application>
  <DocSecurity>0</DocSecurity>
  {extra}
  <ScaleCrop>false</ScaleCrop>
  <LinksUpToDate>false</LinksUpToDate>
  <SharedDoc>false</SharedDoc>
  <HyperlinksChanged>false</HyperlinksChanged>
</Properties>""",
    )


def _scheme_gs(pos, *mods):
    inner = "".join(f'<a:{name} val="{val}"/>' for name, val in mods)
    return f'<a:gs pos="{pos}"><a:schemeClr val="phClr">{inner}</a:schemeClr></a:gs>'


def theme_xml():
    """The Office theme (2013-2022 colours and fonts), complete: a colour scheme of 12
    colours, a font scheme (major and minor, each latin/ea/cs), and a format scheme with
    exactly three fill, line, effect and background-fill styles (ECMA-376 Part 1 §20.1.6)."""
    colors = [
        ("dk1", '<a:sysClr val="windowText" lastClr="000000"/>'),
        ("lt1", '<a:sysClr val="window" lastClr="FFFFFF"/>'),
        ("dk2", '<a:srgbClr val="44546A"/>'),
        ("lt2", '<a:srgbClr val="E7E6E6"/>'),
        ("accent1", '<a:srgbClr val="4472C4"/>'),
        ("accent2", '<a:srgbClr val="ED7D31"/>'),
        ("accent3", '<a:srgbClr val="A5A5A5"/>'),
        ("accent4", '<a:srgbClr val="FFC000"/>'),
        ("accent5", '<a:srgbClr val="5B9BD5"/>'),
        ("accent6", '<a:srgbClr val="70AD47"/>'),
        ("hlink", '<a:srgbClr val="0563C1"/>'),
        ("folHlink", '<a:srgbClr val="954F72"/>'),
    ]
    clr = "".join(f"<a:{name}>{value}</a:{name}>" for name, value in colors)
    grad1 = (
        '<a:gradFill rotWithShape="1"><a:gsLst>'
        + _scheme_gs(0, ("lumMod", 110000), ("satMod", 105000), ("tint", 67000))
        + _scheme_gs(50000, ("lumMod", 105000), ("satMod", 103000), ("tint", 73000))
        + _scheme_gs(100000, ("lumMod", 105000), ("satMod", 109000), ("tint", 81000))
        + '</a:gsLst><a:lin ang="5400000" scaled="0"/></a:gradFill>'
    )
    grad2 = (
        '<a:gradFill rotWithShape="1"><a:gsLst>'
        + _scheme_gs(0, ("satMod", 103000), ("lumMod", 102000), ("tint", 94000))
        + _scheme_gs(50000, ("satMod", 110000), ("lumMod", 100000), ("shade", 100000))
        + _scheme_gs(100000, ("lumMod", 99000), ("satMod", 120000), ("shade", 78000))
        + '</a:gsLst><a:lin ang="5400000" scaled="0"/></a:gradFill>'
    )
    bg_grad = (
        '<a:gradFill rotWithShape="1"><a:gsLst>'
        + _scheme_gs(0, ("tint", 93000), ("satMod", 150000), ("shade", 98000), ("lumMod", 102000))
        + _scheme_gs(50000, ("tint", 98000), ("satMod", 130000), ("shade", 90000), ("lumMod", 103000))
        + _scheme_gs(100000, ("shade", 63000), ("satMod", 120000))
        + '</a:gsLst><a:lin ang="5400000" scaled="0"/></a:gradFill>'
    )
    solid = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    lines = "".join(
        f'<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr">{solid}'
        '<a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>'
        for w in (6350, 12700, 19050)
    )
    shadow = (
        '<a:effectLst><a:outerShdw blurRad="57150" dist="19050" dir="5400000" algn="ctr" '
        'rotWithShape="0"><a:srgbClr val="000000"><a:alpha val="63000"/></a:srgbClr>'
        "</a:outerShdw></a:effectLst>"
    )
    return xml(
        OOXML_DECL,
        f"""
<a:theme xmlns:a="{NS_A}" name="Office Theme">
  <a:themeElements>
    <a:clrScheme name="Office">{clr}</a:clrScheme>
    <a:fontScheme name="Office">
      <a:majorFont><a:latin typeface="Calibri Light"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont>
      <a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont>
    </a:fontScheme>
    <a:fmtScheme name="Office">
      <a:fillStyleLst>{solid}{grad1}{grad2}</a:fillStyleLst>
      <a:lnStyleLst>{lines}</a:lnStyleLst>
      <a:effectStyleLst>
        <a:effectStyle><a:effectLst/></a:effectStyle>
        <a:effectStyle><a:effectLst/></a:effectStyle>
        <a:effectStyle>{shadow}</a:effectStyle>
      </a:effectStyleLst>
      <a:bgFillStyleLst>
        {solid}
        <a:solidFill><a:schemeClr val="phClr"><a:tint val="95000"/><a:satMod val="170000"/></a:schemeClr></a:solidFill>
        {bg_grad}
      </a:bgFillStyleLst>
    </a:fmtScheme>
  </a:themeElements>
  <a:objectDefaults/>
  <a:extraClrSchemeLst/>
</a:theme>""",
    )


# ---- Word ----------------------------------------------------------------------

def docx_entries():
    w = f'xmlns:w="{NS_W}"'
    document = xml(
        OOXML_DECL,
        f"""
<w:document {w} xmlns:r="{R}">
  <w:body>
    <w:p/>
    <w:sectPr>
      <w:pgSz w:w="11906" w:h="16838"/>
      <w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/>
      <w:cols w:space="708"/>
      <w:docGrid w:linePitch="360"/>
    </w:sectPr>
  </w:body>
</w:document>""",
    )
    styles = xml(
        OOXML_DECL,
        f"""
<w:styles {w}>
  <w:docDefaults>
    <w:rPrDefault>
      <w:rPr>
        <w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi" w:cstheme="minorBidi"/>
        <w:sz w:val="22"/>
        <w:szCs w:val="22"/>
        <w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="ar-SA"/>
      </w:rPr>
    </w:rPrDefault>
    <w:pPrDefault>
      <w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr>
    </w:pPrDefault>
  </w:docDefaults>
  <w:style w:type="paragraph" w:default="1" w:styleId="Normal">
    <w:name w:val="Normal"/>
    <w:qFormat/>
  </w:style>
  <w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">
    <w:name w:val="Default Paragraph Font"/>
    <w:uiPriority w:val="1"/>
    <w:semiHidden/>
    <w:unhideWhenUsed/>
  </w:style>
  <w:style w:type="table" w:default="1" w:styleId="TableNormal">
    <w:name w:val="Normal Table"/>
    <w:uiPriority w:val="99"/>
    <w:semiHidden/>
    <w:unhideWhenUsed/>
    <w:tblPr>
      <w:tblInd w:w="0" w:type="dxa"/>
      <w:tblCellMar>
        <w:top w:w="0" w:type="dxa"/>
        <w:left w:w="108" w:type="dxa"/>
        <w:bottom w:w="0" w:type="dxa"/>
        <w:right w:w="108" w:type="dxa"/>
      </w:tblCellMar>
    </w:tblPr>
  </w:style>
  <w:style w:type="numbering" w:default="1" w:styleId="NoList">
    <w:name w:val="No List"/>
    <w:uiPriority w:val="99"/>
    <w:semiHidden/>
    <w:unhideWhenUsed/>
  </w:style>
</w:styles>""",
    )
    settings = xml(
        OOXML_DECL,
        f"""
<w:settings {w}>
  <w:zoom w:percent="100"/>
  <w:defaultTabStop w:val="708"/>
  <w:characterSpacingControl w:val="doNotCompress"/>
  <w:compat>
    <w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>
  </w:compat>
  <w:themeFontLang w:val="en-US"/>
  <w:clrSchemeMapping w:bg1="light1" w:t1="dark1" w:bg2="light2" w:t2="dark2" w:accent1="accent1" w:accent2="accent2" w:accent3="accent3" w:accent4="accent4" w:accent5="accent5" w:accent6="accent6" w:hyperlink="hyperlink" w:followedHyperlink="followedHyperlink"/>
</w:settings>""",
    )
    wml = OFFICE + "wordprocessingml."
    return [
        ("[Content_Types].xml", content_types([
            ("word/document.xml", wml + "document.main+xml"),
            ("word/styles.xml", wml + "styles+xml"),
            ("word/settings.xml", wml + "settings+xml"),
            ("word/theme/theme1.xml", CT_THEME),
            ("docProps/core.xml", CT_CORE),
            ("docProps/app.xml", CT_APP),
        ])),
        ("_rels/.rels", package_rels("word/document.xml")),
        ("docProps/core.xml", core_xml()),
        ("docProps/app.xml", app_xml("<Pages>1</Pages><Words>0</Words><Characters>0</Characters><Lines>1</Lines><Paragraphs>1</Paragraphs>")),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", relationships([
            (R + "/styles", "styles.xml"),
            (R + "/settings", "settings.xml"),
            (R + "/theme", "theme/theme1.xml"),
        ])),
        ("word/styles.xml", styles),
        ("word/settings.xml", settings),
        ("word/theme/theme1.xml", theme_xml()),
    ]


# ---- Excel ---------------------------------------------------------------------

def xlsx_entries():
    workbook = xml(
        OOXML_DECL,
        f"""
<workbook xmlns="{NS_S}" xmlns:r="{R}">
  <workbookPr/>
  <bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" windowHeight="12300"/></bookViews>
  <sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>
  <calcPr calcId="191029"/>
</workbook>""",
    )
    sheet = xml(
        OOXML_DECL,
        f"""
<worksheet xmlns="{NS_S}" xmlns:r="{R}">
  <dimension ref="A1"/>
  <sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>
  <sheetFormatPr defaultRowHeight="15"/>
  <sheetData/>
  <pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>
</worksheet>""",
    )
    styles = xml(
        OOXML_DECL,
        f"""
<styleSheet xmlns="{NS_S}">
  <fonts count="1">
    <font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>
  </fonts>
  <fills count="2">
    <fill><patternFill patternType="none"/></fill>
    <fill><patternFill patternType="gray125"/></fill>
  </fills>
  <borders count="1">
    <border><left/><right/><top/><bottom/><diagonal/></border>
  </borders>
  <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
  <cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>
  <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
  <dxfs count="0"/>
  <tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/>
</styleSheet>""",
    )
    sml = OFFICE + "spreadsheetml."
    titles = (
        '<HeadingPairs><vt:vector size="2" baseType="variant">'
        "<vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>"
        "<vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs>"
        '<TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>Sheet1</vt:lpstr></vt:vector></TitlesOfParts>'
    )
    return [
        ("[Content_Types].xml", content_types([
            ("xl/workbook.xml", sml + "sheet.main+xml"),
            ("xl/worksheets/sheet1.xml", sml + "worksheet+xml"),
            ("xl/styles.xml", sml + "styles+xml"),
            ("xl/theme/theme1.xml", CT_THEME),
            ("docProps/core.xml", CT_CORE),
            ("docProps/app.xml", CT_APP),
        ])),
        ("_rels/.rels", package_rels("xl/workbook.xml")),
        ("docProps/core.xml", core_xml()),
        ("docProps/app.xml", app_xml(titles)),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", relationships([
            (R + "/worksheet", "worksheets/sheet1.xml"),
            (R + "/styles", "styles.xml"),
            (R + "/theme", "theme/theme1.xml"),
        ])),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/styles.xml", styles),
        ("xl/theme/theme1.xml", theme_xml()),
    ]


# ---- PowerPoint ----------------------------------------------------------------

PML_NS = f'xmlns:a="{NS_A}" xmlns:r="{R}" xmlns:p="{NS_P}"'
SLIDE_W, SLIDE_H = 12192000, 6858000  # 16:9, 13.333 in x 7.5 in
EMPTY_GROUP = (
    '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
    '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/>'
    '<a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>'
)
FONT_REFS = {
    "mj": '<a:latin typeface="+mj-lt"/><a:ea typeface="+mj-ea"/><a:cs typeface="+mj-cs"/>',
    "mn": '<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/>',
}
PARA_ATTRS = 'defTabSz="914400" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1"'


def def_rpr(size, fonts="mn"):
    return (
        f'<a:defRPr sz="{size}" kern="1200"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill>'
        f"{FONT_REFS[fonts]}</a:defRPr>"
    )


def text_levels():
    """Nine levels of the "other" text style (presentation default and master otherStyle)."""
    return "".join(
        f'<a:lvl{n}pPr marL="{(n - 1) * 457200}" algn="l" {PARA_ATTRS}>{def_rpr(1800)}</a:lvl{n}pPr>'
        for n in range(1, 10)
    )


def body_levels():
    sizes = {1: 2800, 2: 2400, 3: 2000}
    return "".join(
        f'<a:lvl{n}pPr marL="{228600 + (n - 1) * 457200}" indent="-228600" algn="l" {PARA_ATTRS}>'
        '<a:lnSpc><a:spcPct val="90000"/></a:lnSpc>'
        f'<a:spcBef><a:spcPts val="{1000 if n == 1 else 500}"/></a:spcBef>'
        '<a:buFont typeface="Arial" panose="020B0604020202020204" pitchFamily="34" charset="0"/>'
        '<a:buChar char="&#8226;"/>'
        f"{def_rpr(sizes.get(n, 1800))}</a:lvl{n}pPr>"
        for n in range(1, 10)
    )


def placeholder(shape_id, name, ph, xfrm, text, body_pr="<a:bodyPr/>"):
    sp_pr = "<p:spPr/>"
    if xfrm:
        (x, y), (cx, cy) = xfrm
        sp_pr = (
            f'<p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>'
        )
    para = (
        f'<a:p><a:r><a:rPr lang="en-US"/><a:t>{text}</a:t></a:r></a:p>' if text
        else '<a:p><a:endParaRPr lang="en-US"/></a:p>'
    )
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/>'
        f'<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>{ph}</p:nvPr></p:nvSpPr>'
        f"{sp_pr}<p:txBody>{body_pr}<a:lstStyle/>{para}</p:txBody></p:sp>"
    )


TITLE_XFRM = ((838200, 365125), (10515600, 1325563))
BODY_XFRM = ((838200, 1825625), (10515600, 4351338))


def pptx_entries():
    presentation = xml(
        OOXML_DECL,
        f"""
<p:presentation {PML_NS} saveSubsetFonts="1">
  <p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst>
  <p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst>
  <p:sldSz cx="{SLIDE_W}" cy="{SLIDE_H}"/>
  <p:notesSz cx="6858000" cy="9144000"/>
  <p:defaultTextStyle>
    <a:defPPr><a:defRPr lang="en-US"/></a:defPPr>
    {text_levels()}
  </p:defaultTextStyle>
</p:presentation>""",
    )
    body_pr = 'vert="horz" lIns="91440" tIns="45720" rIns="91440" bIns="45720" rtlCol="0"'
    master_title = placeholder(
        2, "Title Placeholder 1", '<p:ph type="title"/>', TITLE_XFRM,
        "Click to edit Master title style", f'<a:bodyPr {body_pr} anchor="ctr"><a:normAutofit/></a:bodyPr>',
    )
    master_body = placeholder(
        3, "Text Placeholder 2", '<p:ph type="body" idx="1"/>', BODY_XFRM,
        "Click to edit Master text styles", f"<a:bodyPr {body_pr}><a:normAutofit/></a:bodyPr>",
    )
    master = xml(
        OOXML_DECL,
        f"""
<p:sldMaster {PML_NS}>
  <p:cSld>
    <p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg>
    <p:spTree>{EMPTY_GROUP}{master_title}{master_body}</p:spTree>
  </p:cSld>
  <p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/>
  <p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/></p:sldLayoutIdLst>
  <p:txStyles>
    <p:titleStyle>
      <a:lvl1pPr algn="l" {PARA_ATTRS}>
        <a:lnSpc><a:spcPct val="90000"/></a:lnSpc>
        <a:spcBef><a:spcPct val="0"/></a:spcBef>
        <a:buNone/>
        {def_rpr(4400, "mj")}
      </a:lvl1pPr>
    </p:titleStyle>
    <p:bodyStyle>{body_levels()}</p:bodyStyle>
    <p:otherStyle>
      <a:defPPr><a:defRPr lang="en-US"/></a:defPPr>
      {text_levels()}
    </p:otherStyle>
  </p:txStyles>
</p:sldMaster>""",
    )
    layout_title = placeholder(2, "Title 1", '<p:ph type="title"/>', None, "Click to edit Master title style")
    layout = xml(
        OOXML_DECL,
        f"""
<p:sldLayout {PML_NS} type="titleOnly" preserve="1">
  <p:cSld name="Title Only"><p:spTree>{EMPTY_GROUP}{layout_title}</p:spTree></p:cSld>
  <p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr>
</p:sldLayout>""",
    )
    slide_title = placeholder(2, "Title 1", '<p:ph type="title"/>', None, "")
    slide = xml(
        OOXML_DECL,
        f"""
<p:sld {PML_NS}>
  <p:cSld><p:spTree>{EMPTY_GROUP}{slide_title}</p:spTree></p:cSld>
  <p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr>
</p:sld>""",
    )
    pres_props = xml(OOXML_DECL, f"<p:presentationPr {PML_NS}/>")
    view_props = xml(
        OOXML_DECL,
        f"""
<p:viewPr {PML_NS}>
  <p:normalViewPr><p:restoredLeft sz="15620"/><p:restoredTop sz="94660"/></p:normalViewPr>
  <p:gridSpacing cx="76200" cy="76200"/>
</p:viewPr>""",
    )
    table_styles = xml(OOXML_DECL, f'<a:tblStyleLst xmlns:a="{NS_A}" def="{{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}}"/>')
    pml = OFFICE + "presentationml."
    return [
        ("[Content_Types].xml", content_types([
            ("ppt/presentation.xml", pml + "presentation.main+xml"),
            ("ppt/slideMasters/slideMaster1.xml", pml + "slideMaster+xml"),
            ("ppt/slideLayouts/slideLayout1.xml", pml + "slideLayout+xml"),
            ("ppt/slides/slide1.xml", pml + "slide+xml"),
            ("ppt/theme/theme1.xml", CT_THEME),
            ("ppt/presProps.xml", pml + "presProps+xml"),
            ("ppt/viewProps.xml", pml + "viewProps+xml"),
            ("ppt/tableStyles.xml", pml + "tableStyles+xml"),
            ("docProps/core.xml", CT_CORE),
            ("docProps/app.xml", CT_APP),
        ])),
        ("_rels/.rels", package_rels("ppt/presentation.xml")),
        ("docProps/core.xml", core_xml()),
        ("docProps/app.xml", app_xml(
            "<PresentationFormat>Widescreen</PresentationFormat><Words>0</Words><Paragraphs>0</Paragraphs>"
            "<Slides>1</Slides><Notes>0</Notes><HiddenSlides>0</HiddenSlides><MMClips>0</MMClips>"
        )),
        ("ppt/presentation.xml", presentation),
        ("ppt/_rels/presentation.xml.rels", relationships([
            (R + "/slideMaster", "slideMasters/slideMaster1.xml"),
            (R + "/slide", "slides/slide1.xml"),
            (R + "/presProps", "presProps.xml"),
            (R + "/viewProps", "viewProps.xml"),
            (R + "/theme", "theme/theme1.xml"),
            (R + "/tableStyles", "tableStyles.xml"),
        ])),
        ("ppt/slides/slide1.xml", slide),
        ("ppt/slides/_rels/slide1.xml.rels", relationships([
            (R + "/slideLayout", "../slideLayouts/slideLayout1.xml"),
        ])),
        ("ppt/slideLayouts/slideLayout1.xml", layout),
        ("ppt/slideLayouts/_rels/slideLayout1.xml.rels", relationships([
            (R + "/slideMaster", "../slideMasters/slideMaster1.xml"),
        ])),
        ("ppt/slideMasters/slideMaster1.xml", master),
        ("ppt/slideMasters/_rels/slideMaster1.xml.rels", relationships([
            (R + "/slideLayout", "../slideLayouts/slideLayout1.xml"),
            (R + "/theme", "../theme/theme1.xml"),
        ])),
        ("ppt/theme/theme1.xml", theme_xml()),
        ("ppt/presProps.xml", pres_props),
        ("ppt/viewProps.xml", view_props),
        ("ppt/tableStyles.xml", table_styles),
    ]


# ==== OpenDocument (ODF 1.2) ===================================================

ODF_VERSION = "1.2"
ODF_NS = " ".join([
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"',
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"',
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"',
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"',
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"',
])
ODF_MIME = "application/vnd.oasis.opendocument."


def odf_manifest(mimetype, parts):
    rows = "".join(
        f'<manifest:file-entry manifest:full-path="{p}" manifest:media-type="text/xml"/>' for p in parts
    )
    return xml(
        ODF_DECL,
        f"""
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="{ODF_VERSION}">
  <manifest:file-entry manifest:full-path="/" manifest:version="{ODF_VERSION}" manifest:media-type="{mimetype}"/>
  {rows}
</manifest:manifest>""",
    )


def odf_meta():
    return xml(
        ODF_DECL,
        f"""
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
    xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="{ODF_VERSION}">
  <office:meta>
    <meta:generator>{GENERATOR}</meta:generator>
    <meta:creation-date>{W3CDTF}</meta:creation-date>
    <dc:date>{W3CDTF}</dc:date>
    <meta:editing-cycles>1</meta:editing-cycles>
  </office:meta>
</office:document-meta>""",
    )


def odf_package(kind, content, styles):
    mimetype = ODF_MIME + kind
    parts = ["content.xml", "styles.xml", "meta.xml"]
    return [
        ("mimetype", mimetype.encode("ascii")),
        ("META-INF/manifest.xml", odf_manifest(mimetype, parts)),
        ("content.xml", xml(ODF_DECL, content)),
        ("styles.xml", xml(ODF_DECL, styles)),
        ("meta.xml", odf_meta()),
    ]


def page_layout(name, width, height, orientation, margin):
    return (
        f'<style:page-layout style:name="{name}"><style:page-layout-properties '
        f'fo:page-width="{width}" fo:page-height="{height}" style:print-orientation="{orientation}" '
        f'fo:margin-top="{margin}" fo:margin-bottom="{margin}" fo:margin-left="{margin}" fo:margin-right="{margin}"/>'
        "</style:page-layout>"
    )


def odt_entries():
    content = f"""
<office:document-content {ODF_NS} office:version="{ODF_VERSION}">
  <office:automatic-styles/>
  <office:body>
    <office:text><text:p text:style-name="Standard"/></office:text>
  </office:body>
</office:document-content>"""
    styles = f"""
<office:document-styles {ODF_NS} office:version="{ODF_VERSION}">
  <office:font-face-decls>
    <style:font-face style:name="Liberation Serif" svg:font-family="&apos;Liberation Serif&apos;" style:font-family-generic="roman" style:font-pitch="variable"/>
  </office:font-face-decls>
  <office:styles>
    <style:default-style style:family="paragraph">
      <style:paragraph-properties style:tab-stop-distance="1.251cm"/>
      <style:text-properties style:font-name="Liberation Serif" fo:font-size="12pt" fo:language="en" fo:country="US"/>
    </style:default-style>
    <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
  </office:styles>
  <office:automatic-styles>
    {page_layout("pm1", "21.001cm", "29.7cm", "portrait", "2cm")}
  </office:automatic-styles>
  <office:master-styles>
    <style:master-page style:name="Standard" style:page-layout-name="pm1"/>
  </office:master-styles>
</office:document-styles>"""
    return odf_package("text", content, styles)


def ods_entries():
    content = f"""
<office:document-content {ODF_NS} office:version="{ODF_VERSION}">
  <office:automatic-styles>
    <style:style style:name="ta1" style:family="table" style:master-page-name="Default">
      <style:table-properties table:display="true" style:writing-mode="lr-tb"/>
    </style:style>
  </office:automatic-styles>
  <office:body>
    <office:spreadsheet>
      <table:table table:name="Sheet1" table:style-name="ta1">
        <table:table-column/>
        <table:table-row><table:table-cell/></table:table-row>
      </table:table>
    </office:spreadsheet>
  </office:body>
</office:document-content>"""
    styles = f"""
<office:document-styles {ODF_NS} office:version="{ODF_VERSION}">
  <office:font-face-decls>
    <style:font-face style:name="Liberation Sans" svg:font-family="&apos;Liberation Sans&apos;" style:font-family-generic="swiss" style:font-pitch="variable"/>
  </office:font-face-decls>
  <office:styles>
    <style:default-style style:family="table-cell">
      <style:text-properties style:font-name="Liberation Sans" fo:font-size="10pt" fo:language="en" fo:country="US"/>
    </style:default-style>
    <style:style style:name="Default" style:family="table-cell"/>
  </office:styles>
  <office:automatic-styles>
    {page_layout("pm1", "21.001cm", "29.7cm", "portrait", "2cm")}
  </office:automatic-styles>
  <office:master-styles>
    <style:master-page style:name="Default" style:page-layout-name="pm1"/>
  </office:master-styles>
</office:document-styles>"""
    return odf_package("spreadsheet", content, styles)


def odp_entries():
    content = f"""
<office:document-content {ODF_NS} office:version="{ODF_VERSION}">
  <office:automatic-styles/>
  <office:body>
    <office:presentation>
      <draw:page draw:name="page1" draw:master-page-name="Default"/>
    </office:presentation>
  </office:body>
</office:document-content>"""
    # 16:9 like blank.pptx: LibreOffice Impress's "Screen 16:9" page, 28 cm x 15.75 cm.
    styles = f"""
<office:document-styles {ODF_NS} office:version="{ODF_VERSION}">
  <office:font-face-decls>
    <style:font-face style:name="Liberation Sans" svg:font-family="&apos;Liberation Sans&apos;" style:font-family-generic="swiss" style:font-pitch="variable"/>
  </office:font-face-decls>
  <office:styles>
    <style:default-style style:family="graphic">
      <style:text-properties style:font-name="Liberation Sans" fo:font-size="18pt" fo:language="en" fo:country="US"/>
    </style:default-style>
  </office:styles>
  <office:automatic-styles>
    {page_layout("PM1", "28cm", "15.75cm", "landscape", "0cm")}
    <style:style style:name="Mdp1" style:family="drawing-page">
      <style:drawing-page-properties draw:fill="none"/>
    </style:style>
  </office:automatic-styles>
  <office:master-styles>
    <style:master-page style:name="Default" style:page-layout-name="PM1" draw:style-name="Mdp1"/>
  </office:master-styles>
</office:document-styles>"""
    return odf_package("presentation", content, styles)


TEMPLATES = {
    "blank.docx": docx_entries,
    "blank.xlsx": xlsx_entries,
    "blank.pptx": pptx_entries,
    "blank.odt": odt_entries,
    "blank.ods": ods_entries,
    "blank.odp": odp_entries,
}


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and argv[1].startswith("-")):
        sys.stderr.write(__doc__)
        return 2
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = argv[1] if len(argv) == 2 else os.path.join(root, "Sources", "FolioCore", "Resources", "Templates")
    os.makedirs(out, exist_ok=True)
    for name, entries in TEMPLATES.items():
        path = os.path.join(out, name)
        write_package(path, entries())
        print(f"{path}: {os.path.getsize(path)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
