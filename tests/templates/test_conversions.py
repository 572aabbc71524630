"""Conversions through a live `folio serve` and its API, checked with the Python libraries
people would open the results with: a legacy Word `.doc` and an `.rtf` become `.docx` files
python-docx opens with their text, an `.xls` becomes an `.xlsx` openpyxl reads cell by cell,
and an `.odt` becomes a `.docx`. The legacy inputs are made in the test by LibreOffice (outside
Folio), the conversions by Folio's engine in its sandbox."""

import io
import json
import os
import subprocess
import sys
import urllib.request

import docx
import openpyxl
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from folio_process import FolioProcess  # noqa: E402  (after the path above)

RTF = r"{\rtf1\ansi\deff0 Minutes of the board\par Budget approved for 2027\par}"
CSV = "Quarter,Revenue\nQ1,1200\nQ2,1350\n"


def soffice(source, ext, out):
    """`source` in another format, by LibreOffice run directly (the test's own fixture maker)."""
    profile = "file://" + str(out / "profile")
    subprocess.run(["soffice", "--headless", "--norestore", "-env:UserInstallation=" + profile,
                    "--convert-to", ext, "--outdir", str(out), str(source)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    made = out / (source.stem + "." + ext.split(":")[0])
    assert made.exists() and made.stat().st_size > 0, made
    return made


@pytest.fixture(scope="module")
def folio(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("conversions")
    server = FolioProcess(tmp / "data", tmp / "folio.log")
    server.cli("user", "add", "alice")
    server.key = json.loads(server.cli("apikey", "create", "conv", "--scope", "read", "--scope", "write",
                                       "--json"))["key"]
    server.tmp = tmp
    server.start("--access-log", "false", "--preview-ahead", "off")
    yield server
    server.stop()


def api(folio, method, path, body=None):
    request = urllib.request.Request(folio.base + "/api/v1" + path, method=method, data=body,
                                     headers={"Authorization": "Bearer " + folio.key,
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=180) as response:
        return response.status, response.read()


def convert(folio, path, ext):
    """Imports `path` for alice, converts it through the API and returns the new file's name and bytes."""
    file_id = json.loads(folio.cli("import", str(path), "--owner", "alice", "--json"))[0]["id"]
    status, body = api(folio, "POST", "/files/%s/convert" % file_id, json.dumps({"format": ext}).encode())
    assert status == 201, body
    made = json.loads(body)
    status, content = api(folio, "GET", "/files/%s/content" % made["id"])
    assert status == 200
    return made["name"], content


def paragraphs(content):
    return [p.text for p in docx.Document(io.BytesIO(content)).paragraphs if p.text.strip()]


@pytest.mark.parametrize("legacy", ["doc", "rtf"])
def test_a_word_document_becomes_a_docx_python_docx_opens_with_its_text(folio, legacy):
    out = folio.tmp / ("word-" + legacy)
    out.mkdir()
    rtf = out / ("minutes-%s.rtf" % legacy)
    rtf.write_text(RTF)
    source = rtf if legacy == "rtf" else soffice(rtf, "doc:MS Word 97", out)
    assert source.suffix == "." + legacy
    if legacy == "doc":
        # The real binary format (an OLE2 compound file), not RTF under another name.
        assert source.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")
    name, content = convert(folio, source, "docx")
    assert name == "minutes-%s.docx" % legacy
    assert paragraphs(content) == ["Minutes of the board", "Budget approved for 2027"]


def test_a_spreadsheet_becomes_an_xlsx_openpyxl_reads_cell_by_cell(folio):
    out = folio.tmp / "sheet"
    out.mkdir()
    csv = out / "figures.csv"
    csv.write_text(CSV)
    xls = soffice(csv, "xls", out)
    assert xls.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")
    name, content = convert(folio, xls, "xlsx")
    assert name == "figures.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["Quarter", "Revenue"], ["Q1", 1200],
                                                                     ["Q2", 1350]]


def test_opendocument_becomes_office_open_xml(folio):
    out = folio.tmp / "odt"
    out.mkdir()
    rtf = out / "notes.rtf"
    rtf.write_text(RTF)
    odt = soffice(rtf, "odt", out)
    name, content = convert(folio, odt, "docx")
    assert name == "notes.docx"
    assert paragraphs(content) == ["Minutes of the board", "Budget approved for 2027"]
