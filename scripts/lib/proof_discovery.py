#!/usr/bin/env python3
"""Write a Microsoft-shaped WOPI discovery document publishing the proof keys that
wopivalidate.py --gen-proof-keys made, so Folio can check the validator's signatures.

usage: proof_discovery.py KEYS_JSON OUT_DIR   (writes OUT_DIR/hosting/discovery)
"""
import json
import os
import sys
from xml.sax.saxutils import quoteattr

keys = json.load(open(sys.argv[1]))["discovery"]
current, old = keys["proof-key"], keys["proof-key-old"]
attrs = " ".join(
    f"{name}={quoteattr(value)}"
    for name, value in [
        ("value", current["value"]), ("modulus", current["modulus"]), ("exponent", current["exponent"]),
        ("oldvalue", old["value"]), ("oldmodulus", old["modulus"]), ("oldexponent", old["exponent"]),
    ]
)
# The validator only needs the proof key; the actions make it a real discovery document.
discovery = f"""<?xml version="1.0" encoding="utf-8"?>
<wopi-discovery>
  <net-zone name="external-http">
    <app name="Word" favIconUrl="http://127.0.0.1/wv/resources/1033/FavIcon_Word.ico" checkLicense="true">
      <action name="view" ext="wopitest" urlsrc="http://127.0.0.1/wv/wordviewerframe.aspx?&lt;ui=UI_LLCC&amp;&gt;&lt;wopisrc=WOPI_SOURCE&amp;&gt;"/>
      <action name="edit" ext="docx" requires="locks,update" urlsrc="http://127.0.0.1/we/wordeditorframe.aspx?&lt;ui=UI_LLCC&amp;&gt;&lt;wopisrc=WOPI_SOURCE&amp;&gt;"/>
    </app>
  </net-zone>
  <proof-key {attrs}/>
</wopi-discovery>
"""
os.makedirs(os.path.join(sys.argv[2], "hosting"), exist_ok=True)
with open(os.path.join(sys.argv[2], "hosting", "discovery"), "w") as out:
    out.write(discovery)
