"""schemathesis hooks for the `api` stage (loaded through `hooks` in tests/api/schemathesis.toml).

Webhooks that generated requests register get real deliveries (every file the run creates or
changes is an event), so their URLs must not lead off this machine: a well-formed http(s) URL
gets its host and port replaced with the stage's loopback sink ($FOLIO_API_WEBHOOK_SINK) before
it is sent. Only a well-formed authority is replaced, with another well-formed one, so a URL the
schema allows stays allowed and a malformed one stays malformed.
"""
import os
import re
from urllib.parse import urlsplit

import schemathesis

SINK = urlsplit(os.environ["FOLIO_API_WEBHOOK_SINK"])
# RFC 3986 authority: [userinfo@]host[:port] with host a reg-name or IP literal.
_UNRESERVED = r"A-Za-z0-9\-._~!$&'()*+,;="
AUTHORITY = re.compile(rf"(?:[{_UNRESERVED}:]|%[0-9A-Fa-f]{{2}})*@?(?:\[[0-9A-Fa-f:.]+\]|(?:[{_UNRESERVED}]|%[0-9A-Fa-f]{{2}})+)(?::[0-9]*)?")
URL = re.compile(r"(?P<scheme>[Hh][Tt][Tt][Pp][Ss]?)://(?P<authority>[^/?#]*)(?P<rest>.*)", re.DOTALL)


@schemathesis.hook
def before_call(context, case, **kwargs):
    if case.method.upper() != "POST" or case.path != "/api/v1/webhooks" or not isinstance(case.body, dict):
        return
    url = case.body.get("url")
    match = URL.fullmatch(url) if isinstance(url, str) else None
    if match and AUTHORITY.fullmatch(match["authority"]) and match["authority"] != SINK.netloc:
        case.body = {**case.body, "url": f"{match['scheme']}://{SINK.netloc}{match['rest']}"}
