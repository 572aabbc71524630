"""The blank "New document" templates (Sources/FolioCore/Resources/Templates) are valid packages.

Checks the package structure the office suites rely on (OPC for OOXML, ODF 1.2 Part 3 for
OpenDocument), opens every template with the reference Python readers, and proves the committed
files are exactly what scripts/make-templates.py writes.

    python3 -m pip install -r tests/templates/requirements.txt
    python3 -m pytest -q tests/templates
"""

import posixpath
import struct
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "Sources" / "FolioCore" / "Resources" / "Templates"
SCRIPT = ROOT / "scripts" / "make-templates.py"

OFFICE = "application/vnd.openxmlformats-officedocument."
OOXML_MAIN = {
    "blank.docx": OFFICE + "wordprocessingml.document.main+xml",
    "blank.xlsx": OFFICE + "spreadsheetml.sheet.main+xml",
    "blank.pptx": OFFICE + "presentationml.presentation.main+xml",
}
ODF_MIME = {
    "blank.odt": "application/vnd.oasis.opendocument.text",
    "blank.ods": "application/vnd.oasis.opendocument.spreadsheet",
    "blank.odp": "application/vnd.oasis.opendocument.presentation",
}
ALL = sorted(OOXML_MAIN) + sorted(ODF_MIME)

NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS_MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
NS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
RT_DOC = NS_R + "/officeDocument"
RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
RT_APP = NS_R + "/extended-properties"


def package(name):
    return zipfile.ZipFile(TEMPLATES / name)


def parse(z, part):
    return etree.fromstring(z.read(part))


def parts(z):
    return [n for n in z.namelist() if not n.endswith("/")]


# ---- every package ---------------------------------------------------------------

@pytest.mark.parametrize("name", ALL)
def test_zip_without_duplicate_entries(name):
    with package(name) as z:
        names = z.namelist()
        assert len(names) == len(set(names)), f"duplicate entries in {name}"
        assert len({n.lower() for n in names}) == len(names), f"entries differing only in case in {name}"
        assert z.testzip() is None, f"bad CRC in {name}"
        for info in z.infolist():
            assert info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED), info.filename
            assert not info.filename.startswith("/") and "\\" not in info.filename, info.filename


@pytest.mark.parametrize("name", ALL)
def test_every_xml_part_is_well_formed(name):
    with package(name) as z:
        xml_parts = [n for n in parts(z) if n.endswith((".xml", ".rels"))]
        assert xml_parts
        for part in xml_parts:
            try:
                parse(z, part)
            except etree.XMLSyntaxError as e:
                pytest.fail(f"{name}:{part} is not well-formed XML: {e}")
        # Nothing else is in these templates except ODF's mimetype.
        assert set(parts(z)) - set(xml_parts) <= {"mimetype"}


# ---- OOXML (ECMA-376 Part 2, Open Packaging Conventions) -------------------------

def content_types(z):
    root = parse(z, "[Content_Types].xml")
    defaults = {d.get("Extension").lower(): d.get("ContentType") for d in root.iter(f"{{{NS_CT}}}Default")}
    overrides = {o.get("PartName").lower(): o.get("ContentType") for o in root.iter(f"{{{NS_CT}}}Override")}
    return defaults, overrides


def content_type(z, part):
    defaults, overrides = content_types(z)
    key = "/" + part.lower()
    if key in overrides:
        return overrides[key]
    # The extension is what follows the last dot of the last segment ("_rels/.rels" -> "rels");
    # posixpath.splitext would take ".rels" for a name with no extension.
    file = posixpath.basename(part)
    return defaults.get(file.rpartition(".")[2].lower()) if "." in file else None


def rels_source(rels_part):
    """(source part or "" for the package, folder its relative targets resolve against)."""
    folder, file = posixpath.split(rels_part)
    assert posixpath.basename(folder) == "_rels" and file.endswith(".rels"), rels_part
    base = posixpath.dirname(folder)
    source = file[: -len(".rels")]
    return (posixpath.join(base, source) if source else ""), base


def relationships(z, rels_part):
    """[(id, type, resolved target part)] of the internal relationships in rels_part."""
    _, base = rels_source(rels_part)
    out = []
    for rel in parse(z, rels_part).iter(f"{{{NS_REL}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target")
        resolved = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        out.append((rel.get("Id"), rel.get("Type"), resolved))
    return out


def rels_part_of(part):
    folder, file = posixpath.split(part)
    return posixpath.join(folder, "_rels", file + ".rels")


@pytest.mark.parametrize("name", sorted(OOXML_MAIN))
def test_ooxml_every_part_has_a_content_type(name):
    with package(name) as z:
        assert "[Content_Types].xml" in z.namelist()
        names = set(parts(z))
        for part in names - {"[Content_Types].xml"}:
            assert content_type(z, part), f"{name}: no content type for {part}"
        _, overrides = content_types(z)
        lower = {n.lower() for n in names}
        for part_name in overrides:
            assert part_name[1:] in lower, f"{name}: Override for missing part {part_name}"
        for part in names:
            if part.endswith(".rels"):
                assert content_type(z, part) == "application/vnd.openxmlformats-package.relationships+xml"


@pytest.mark.parametrize("name", sorted(OOXML_MAIN))
def test_ooxml_every_relationship_target_exists(name):
    with package(name) as z:
        names = set(parts(z))
        rels_parts = sorted(n for n in names if n.endswith(".rels"))
        assert "_rels/.rels" in rels_parts
        for rels_part in rels_parts:
            source, _ = rels_source(rels_part)
            assert source == "" or source in names, f"{name}: {rels_part} belongs to no part"
            rels = relationships(z, rels_part)
            ids = [rid for rid, _, _ in rels]
            assert len(ids) == len(set(ids)), f"{name}: duplicate Id in {rels_part}"
            for rid, rtype, target in rels:
                assert target in names, f"{name}: {rels_part} {rid} ({rtype}) points at missing {target}"


# What each relationship type must point at (ECMA-376 Part 1 §11-§14 and Part 2 Annex E).
PML, SML, WML = OFFICE + "presentationml.", OFFICE + "spreadsheetml.", OFFICE + "wordprocessingml."
TARGET_TYPES = {
    RT_CORE: {"application/vnd.openxmlformats-package.core-properties+xml"},
    RT_APP: {OFFICE + "extended-properties+xml"},
    RT_DOC: set(OOXML_MAIN.values()),
    NS_R + "/theme": {OFFICE + "theme+xml"},
    NS_R + "/styles": {WML + "styles+xml", SML + "styles+xml"},
    NS_R + "/settings": {WML + "settings+xml"},
    NS_R + "/worksheet": {SML + "worksheet+xml"},
    NS_R + "/slideMaster": {PML + "slideMaster+xml"},
    NS_R + "/slideLayout": {PML + "slideLayout+xml"},
    NS_R + "/slide": {PML + "slide+xml"},
    NS_R + "/presProps": {PML + "presProps+xml"},
    NS_R + "/viewProps": {PML + "viewProps+xml"},
    NS_R + "/tableStyles": {PML + "tableStyles+xml"},
}


@pytest.mark.parametrize("name", sorted(OOXML_MAIN))
def test_ooxml_every_relationship_target_has_the_content_type_of_its_kind(name):
    with package(name) as z:
        for rels_part in sorted(n for n in parts(z) if n.endswith(".rels")):
            for rid, rtype, target in relationships(z, rels_part):
                assert rtype in TARGET_TYPES, f"{name}: {rels_part} {rid}: relationship type this test does not know: {rtype}"
                assert content_type(z, target) in TARGET_TYPES[rtype], (
                    f"{name}: {rels_part} {rid} ({rtype}) points at {target} of type {content_type(z, target)}"
                )


@pytest.mark.parametrize("name", sorted(OOXML_MAIN))
def test_ooxml_every_r_id_in_a_part_is_a_relationship_of_that_part(name):
    with package(name) as z:
        names = set(parts(z))
        for part in sorted(n for n in names if n.endswith(".xml") and n != "[Content_Types].xml"):
            used = {
                value
                for el in parse(z, part).iter()
                for attr, value in el.attrib.items()
                if attr.startswith(f"{{{NS_R}}}")
            }
            if not used:
                continue
            rels_part = rels_part_of(part)
            assert rels_part in names, f"{name}: {part} uses {sorted(used)} but has no {rels_part}"
            have = {rid for rid, _, _ in relationships(z, rels_part)}
            assert used <= have, f"{name}: {part} uses {sorted(used - have)}, not in {rels_part}"


@pytest.mark.parametrize("name", sorted(OOXML_MAIN))
def test_ooxml_main_part_and_properties(name):
    with package(name) as z:
        rels = {rtype: target for _, rtype, target in relationships(z, "_rels/.rels")}
        assert content_type(z, rels[RT_DOC]) == OOXML_MAIN[name]
        assert content_type(z, rels[RT_CORE]) == "application/vnd.openxmlformats-package.core-properties+xml"
        assert content_type(z, rels[RT_APP]) == OFFICE + "extended-properties+xml"


def test_pptx_ids_and_theme_follow_the_rules_powerpoint_enforces():
    with package("blank.pptx") as z:
        pres = parse(z, "ppt/presentation.xml")
        master_ids = [int(e.get("id")) for e in pres.iter(f"{{{NS_P}}}sldMasterId")]
        slide_ids = [int(e.get("id")) for e in pres.iter(f"{{{NS_P}}}sldId")]
        layout_ids = [
            int(e.get("id")) for e in parse(z, "ppt/slideMasters/slideMaster1.xml").iter(f"{{{NS_P}}}sldLayoutId")
        ]
        # ST_SlideMasterId / ST_SlideLayoutId >= 2^31 and unique together; ST_SlideId in [256, 2^31).
        assert all(i >= 2147483648 for i in master_ids + layout_ids)
        assert len(set(master_ids + layout_ids)) == len(master_ids + layout_ids)
        assert slide_ids == [256]
        size = pres.find(f"{{{NS_P}}}sldSz")
        assert (int(size.get("cx")), int(size.get("cy"))) == (12192000, 6858000)  # 16:9
        assert size.get("type") is None

        theme = parse(z, "ppt/theme/theme1.xml")
        scheme = theme.find(f"{{{NS_A}}}themeElements/{{{NS_A}}}clrScheme")
        assert len(scheme) == 12
        fmt = theme.find(f"{{{NS_A}}}themeElements/{{{NS_A}}}fmtScheme")
        for lst in ("fillStyleLst", "lnStyleLst", "effectStyleLst", "bgFillStyleLst"):
            assert len(fmt.find(f"{{{NS_A}}}{lst}")) == 3, lst
        for font in ("majorFont", "minorFont"):
            el = theme.find(f"{{{NS_A}}}themeElements/{{{NS_A}}}fontScheme/{{{NS_A}}}{font}")
            assert [etree.QName(c).localname for c in el][:3] == ["latin", "ea", "cs"]


# ---- OpenDocument (ODF 1.2 Part 3, Packages) -------------------------------------

@pytest.mark.parametrize("name", sorted(ODF_MIME))
def test_odf_mimetype_is_the_first_entry_stored_without_extra_field(name):
    mimetype = ODF_MIME[name].encode("ascii")
    raw = (TEMPLATES / name).read_bytes()
    # The local file header, as `file` and other magic-number sniffers read it.
    sig, _, _, method, _, _, _, csize, usize, nlen, xlen = struct.unpack("<IHHHHHIIIHH", raw[:30])
    assert sig == 0x04034B50
    assert raw[30:30 + nlen] == b"mimetype"
    assert method == 0 and xlen == 0 and csize == usize == len(mimetype)
    assert raw[38:38 + len(mimetype)] == mimetype
    with package(name) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert first.extra == b""
        assert z.read("mimetype") == mimetype


@pytest.mark.parametrize("name", sorted(ODF_MIME))
def test_odf_manifest_lists_exactly_the_files_present(name):
    with package(name) as z:
        names = set(parts(z))
        manifest = parse(z, "META-INF/manifest.xml")
        version = manifest.get(f"{{{NS_MANIFEST}}}version")
        assert version == "1.2"
        entries = {
            e.get(f"{{{NS_MANIFEST}}}full-path"): e for e in manifest.iter(f"{{{NS_MANIFEST}}}file-entry")
        }
        root = entries.pop("/")
        assert root.get(f"{{{NS_MANIFEST}}}media-type") == ODF_MIME[name]
        assert root.get(f"{{{NS_MANIFEST}}}version") == version
        for path in entries:
            assert path in names, f"{name}: manifest lists missing {path}"
        assert names - {"mimetype", "META-INF/manifest.xml"} == set(entries)
        for part in ("content.xml", "styles.xml", "meta.xml"):
            assert parse(z, part).get(f"{{{NS_OFFICE}}}version") == version, part


# ---- the reference readers -------------------------------------------------------

@pytest.fixture
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_docx_opens_with_python_docx(no_warnings):
    import docx

    doc = docx.Document(str(TEMPLATES / "blank.docx"))
    assert len(doc.paragraphs) == 1 and doc.paragraphs[0].text == ""
    assert doc.paragraphs[0].style.name == "Normal"
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    assert doc.core_properties.created.year == 2025


def test_xlsx_opens_with_openpyxl(no_warnings):
    import openpyxl

    wb = openpyxl.load_workbook(TEMPLATES / "blank.xlsx")
    assert len(wb.worksheets) == 1
    assert wb.sheetnames == ["Sheet1"]
    ws = wb.active
    assert ws.title == "Sheet1" and ws.max_row == 1 and ws["A1"].value is None


def test_pptx_opens_with_python_pptx(no_warnings):
    import pptx

    prs = pptx.Presentation(str(TEMPLATES / "blank.pptx"))
    assert len(prs.slides) == 1
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    assert len(prs.slide_masters) == 1 and len(prs.slide_layouts) == 1
    slide = prs.slides[0]
    assert slide.slide_layout.name == "Title Only"
    assert all(not shape.has_text_frame or shape.text_frame.text == "" for shape in slide.shapes)


@pytest.mark.parametrize(
    "name,body",
    [("blank.odt", "text"), ("blank.ods", "spreadsheet"), ("blank.odp", "presentation")],
)
def test_odf_opens_with_odfpy(name, body, no_warnings):
    from odf import opendocument
    from odf.namespaces import OFFICENS

    doc = opendocument.load(str(TEMPLATES / name))
    assert doc.mimetype == ODF_MIME[name]
    assert doc.getMediaType() == ODF_MIME[name]
    element = getattr(doc, body)
    assert element is not None and element.qname == (OFFICENS, body)
    if body == "spreadsheet":
        from odf.table import Table

        tables = doc.spreadsheet.getElementsByType(Table)
        assert [t.getAttribute("name") for t in tables] == ["Sheet1"]
    if body == "presentation":
        from odf.draw import Page
        from odf.style import MasterPage

        pages = doc.presentation.getElementsByType(Page)
        masters = [m.getAttribute("name") for m in doc.masterstyles.getElementsByType(MasterPage)]
        assert len(pages) == 1 and pages[0].getAttribute("masterpagename") in masters


# ---- the committed files are what the script makes -------------------------------

def test_regenerating_gives_byte_identical_files(tmp_path):
    out = tmp_path / "templates"
    subprocess.run([sys.executable, str(SCRIPT), str(out)], check=True, capture_output=True)
    made = sorted(p.name for p in out.iterdir())
    assert made == sorted(ALL)
    for name in made:
        assert (out / name).read_bytes() == (TEMPLATES / name).read_bytes(), (
            f"{name} differs from what scripts/make-templates.py makes: rerun the script and commit"
        )
    # And a second run gives the same bytes again (no clock, no randomness).
    again = tmp_path / "again"
    subprocess.run([sys.executable, str(SCRIPT), str(again)], check=True, capture_output=True)
    for name in made:
        assert (again / name).read_bytes() == (out / name).read_bytes(), name
