"""Proof keys and WOPI discovery documents shaped like each editor's own (PROTOCOL.md §A.10,
§A.11, §B, §C, §D.2).

Each editor signs with RSA-2048 keys it makes here, and publishes their public halves in
`<proof-key value modulus exponent oldvalue oldmodulus oldexponent>`: `modulus`/`exponent` as
base64 big-endian integers, `value`/`oldvalue` as .NET CSP PUBLICKEYBLOBs of the same key.
"""

import base64
import re
import struct
from urllib.parse import quote
from xml.sax.saxutils import quoteattr

from cryptography.hazmat.primitives.asymmetric import rsa

EDITORS = ("collabora", "microsoft", "onlyoffice")


def new_key():
    """A fresh RSA-2048 private key (public exponent 65537, as every editor uses)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64(data):
    return base64.b64encode(data).decode("ascii")


def _int_bytes(n):
    return n.to_bytes((n.bit_length() + 7) // 8, "big")


def csp_blob(n, e):
    """The .NET CAPI PUBLICKEYBLOB of (n, e): BLOBHEADER (PUBLICKEYBLOB, version 2, CALG_RSA_KEYX),
    RSAPUBKEY ('RSA1', bit length, exponent, all little-endian), then the modulus little-endian."""
    bits = n.bit_length()
    header = bytes([0x06, 0x02, 0x00, 0x00]) + struct.pack("<I", 0xA400)
    return header + b"RSA1" + struct.pack("<II", bits, e) + n.to_bytes((bits + 7) // 8, "little")


def public_attrs(key):
    """{value, modulus, exponent} of a private or public key, as discovery publishes them."""
    pub = key.public_key() if hasattr(key, "public_key") else key
    nums = pub.public_numbers()
    return {"value": _b64(csp_blob(nums.n, nums.e)), "modulus": _b64(_int_bytes(nums.n)),
            "exponent": _b64(_int_bytes(nums.e))}


def proof_key_element(current, old):
    """`<proof-key …/>` for a current and an old key (the same key twice for Collabora)."""
    cur, prev = public_attrs(current), public_attrs(old)
    attrs = [("oldvalue", prev["value"]), ("oldmodulus", prev["modulus"]), ("oldexponent", prev["exponent"]),
             ("value", cur["value"]), ("modulus", cur["modulus"]), ("exponent", cur["exponent"])]
    return "<proof-key " + " ".join("%s=%s" % (k, quoteattr(v)) for k, v in attrs) + "/>"


def _action(name, ext, urlsrc, **extra):
    # quoteattr escapes &, < and > (and picks quotes): urlsrc placeholders need exactly that.
    attrs = [("name", name), ("ext", ext)] + sorted(extra.items()) + [("urlsrc", urlsrc)]
    return "<action " + " ".join("%s=%s" % (k, quoteattr(v)) for k, v in attrs) + "/>"


def _app(name, actions, **extra):
    attrs = "".join(" %s=%s" % (k, quoteattr(v)) for k, v in [("name", name)] + sorted(extra.items()))
    return "<app%s>\n%s\n</app>" % (attrs, "\n".join(actions))


def _document(apps, current, old, zone="external-http"):
    return ('<?xml version="1.0" encoding="utf-8"?>\n<wopi-discovery>\n<net-zone name="%s">\n%s\n</net-zone>\n%s\n'
            "</wopi-discovery>\n" % (zone, "\n".join(apps), proof_key_element(current, old)))


# MIME type, extension and whether the editor can edit it.
_FORMATS = [
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "writer", True),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "calc", True),
    ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", "impress", True),
    ("application/vnd.oasis.opendocument.text", "odt", "writer", True),
    ("application/pdf", "pdf", "draw", False),
]


def collabora_discovery(base, key):
    """Collabora Online: apps named by MIME type, an edit (or view) action per extension,
    `urlsrc` = `…/browser/dist/cool.html?` without placeholders, and a `Capabilities` app whose
    `getinfo` points at `/hosting/capabilities`. One key, published as both current and old."""
    urlsrc = base + "/browser/dist/cool.html?"
    apps = []
    for mime, ext, doc, editable in _FORMATS:
        icon = base + "/browser/dist/images/x-office-%s.svg" % doc
        apps.append(_app(mime, [_action("edit" if editable else "view", ext, urlsrc, default="true")], favIconUrl=icon))
    apps.append(_app("Capabilities", [_action("getinfo", "", base + "/hosting/capabilities")]))
    return _document(apps, key, key)


def microsoft_discovery(base, current, old):
    """Office Online Server / Office for the web: `Word`, `Excel`, `PowerPoint` apps in the
    `external-http` zone; urlsrc with OOS-style `<name=PLACEHOLDER&>` parts; `editnew` on docx."""
    tail = ("<ui=UI_LLCC&><rs=DC_LLCC&><dchat=DISABLE_CHAT&><hid=HOST_SESSION_ID&><sc=SESSION_CONTEXT&>"
            "<wopisrc=WOPI_SOURCE&><showpagestats=PERFSTATS&><IsLicensedUser=BUSINESS_USER&>")
    word, excel, ppt = base + "/we/wordeditorframe.aspx?", base + "/x/_layouts/xlviewerinternal.aspx?", \
        base + "/p/PowerPointFrame.aspx?"
    locks = {"requires": "locks,update"}
    apps = [
        _app("Word", [
            _action("view", "docx", base + "/wv/wordviewerframe.aspx?" + tail, default="true"),
            _action("edit", "docx", word + tail, **locks),
            _action("editnew", "docx", word + "new=1&" + tail, **locks),
        ], favIconUrl=base + "/wv/resources/1033/FavIcon_Word.ico", checkLicense="true"),
        _app("Excel", [
            _action("view", "xlsx", excel + tail, default="true"),
            _action("edit", "xlsx", excel + "edit=1&" + tail, **locks),
        ], favIconUrl=base + "/x/_layouts/resources/FavIcon_Excel.ico", checkLicense="true"),
        _app("PowerPoint", [
            _action("view", "pptx", ppt + "PowerPointView=ReadingView&" + tail, default="true"),
            _action("edit", "pptx", ppt + "PowerPointView=EditView&" + tail, **locks),
        ], favIconUrl=base + "/p/resources/1033/FavIcon_Ppt.ico", checkLicense="true"),
    ]
    return _document(apps, current, old)


def onlyoffice_discovery(base, current, old):
    """ONLYOFFICE Docs in WOPI mode (§D.2): `Word`/`Excel`/`PowerPoint`/`Pdf` apps, MIME-named
    apps for Collabora-style connectors, and `Capabilities`."""
    tail = ("<rs=DC_LLCC&><dchat=DISABLE_CHAT&><embed=EMBEDDED&><fs=FULLSCREEN&><hid=HOST_SESSION_ID&>"
            "<rec=RECORDING&><sc=SESSION_CONTEXT&><thm=THEME_ID&><ui=UI_LLCC&><wopisrc=WOPI_SOURCE&>&")

    def src(kind, action):
        return "%s/hosting/wopi/%s/%s?%s" % (base, kind, action, tail)

    apps = []
    for app, kind, exts, editable in [("Word", "word", ["docx", "odt"], True), ("Excel", "cell", ["xlsx"], True),
                                      ("PowerPoint", "slide", ["pptx"], True), ("Pdf", "pdf", ["pdf"], False)]:
        actions = []
        for ext in exts:
            actions.append(_action("view", ext, src(kind, "view"), default="true"))
            if editable:
                actions.append(_action("edit", ext, src(kind, "edit"), requires="locks,update"))
        apps.append(_app(app, actions, favIconUrl=base + "/web-apps/apps/%s/main/resources/img/favicon.ico"
                         % {"word": "documenteditor", "cell": "spreadsheeteditor", "slide": "presentationeditor",
                            "pdf": "pdfeditor"}[kind]))
    for mime, ext, _, editable in _FORMATS:
        kind = {"docx": "word", "odt": "word", "xlsx": "cell", "pptx": "slide", "pdf": "pdf"}[ext]
        apps.append(_app(mime, [_action("edit" if editable else "view", ext,
                                        src(kind, "edit" if editable else "view"))]))
    apps.append(_app("Capabilities", [_action("getinfo", "", base + "/hosting/capabilities")]))
    return _document(apps, current, old)


def fill_urlsrc(urlsrc, values):
    """§A.10: `<name=PLACEHOLDER&>` becomes `name=value&` for known placeholders, and disappears
    for the others."""
    def one(m):
        name, placeholder, amp = m.group(1), m.group(2), m.group(3)
        return "%s=%s%s" % (name, values[placeholder], amp) if placeholder in values else ""
    return re.sub(r"<([^=<>]+)=([A-Z_]+)(&?)>", one, urlsrc)


def launch_url(editor, urlsrc, wopisrc, lang="en-US"):
    """The action URL the host page posts its form to (§E step 1)."""
    enc = quote(wopisrc, safe="")
    if editor == "collabora":       # no placeholders: the host appends WOPISrc itself
        return urlsrc + "WOPISrc=" + enc
    return fill_urlsrc(urlsrc, {"UI_LLCC": lang, "DC_LLCC": lang, "WOPI_SOURCE": enc})
