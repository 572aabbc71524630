"""examples/connector-app alone: its signature check and its path confinement, the signing
vector of docs/connector-contract.md, and one round of every operation over real HTTP.

    python3 -m unittest tests/spaces/test_connector_app.py      (standard library only)

Each live test class starts the app on a free loopback port over a temp folder that has a
secret file beside the root and links that try to reach it, and stops it afterwards.
"""

import hashlib
import hmac
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
APP_DIR = os.path.join(HERE, "..", "..", "examples", "connector-app")
sys.path.insert(0, APP_DIR)
import app  # noqa: E402

EMPTY = hashlib.sha256(b"").hexdigest()
SECRET = b"test-secret-0123456789abcdef"


def signed_headers(method, target, body=b"", secret=SECRET, timestamp=None, content_sha256=None):
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    content_sha256 = content_sha256 or hashlib.sha256(body).hexdigest()
    message = "\n".join(["v1", method, target, timestamp, content_sha256]).encode()
    return {
        "X-Folio-Timestamp": timestamp,
        "X-Folio-Content-SHA256": content_sha256,
        "X-Folio-Signature": "v1=" + hmac.new(secret, message, hashlib.sha256).hexdigest(),
    }


class SigningTests(unittest.TestCase):
    def test_the_documented_vector(self):
        target = "/folio/Reports%202026/q3.xlsx?meta"
        self.assertEqual(
            app.sign(b"s3cret-for-docs", "GET", target, "1767225600", EMPTY),
            "v1=6e9e0f7aa397791102eaff99efdf8c985ef00b16fbc3e44b0275fd0bd4e945e6")

    def check(self, headers, method="GET", target="/a.txt", now=None):
        return app.check_signature(SECRET, method, target, headers, now=now)

    def refused(self, code, headers, **kwargs):
        with self.assertRaises(app.Refusal) as caught:
            self.check(headers, **kwargs)
        self.assertEqual((caught.exception.status, caught.exception.code), (401, code))
        return caught.exception

    def test_a_good_signature_passes_and_gives_the_signed_hash(self):
        headers = signed_headers("PUT", "/a.txt", b"body")
        self.assertEqual(self.check(headers, method="PUT"), hashlib.sha256(b"body").hexdigest())

    def test_wrong_secret_method_target_or_hash_is_refused(self):
        self.refused("badSignature", signed_headers("GET", "/a.txt", secret=b"another-secret-0123456789"))
        self.refused("badSignature", signed_headers("GET", "/a.txt"), method="DELETE")
        self.refused("badSignature", signed_headers("GET", "/a.txt"), target="/b.txt")
        self.refused("badSignature", signed_headers("GET", "/a.txt"), target="/a.txt?meta")
        tampered = signed_headers("GET", "/a.txt")
        tampered["X-Folio-Content-SHA256"] = hashlib.sha256(b"other").hexdigest()
        self.refused("badSignature", tampered)

    def test_timestamps_more_than_five_minutes_off_are_refused(self):
        now = 1_800_000_000
        self.assertEqual(self.check(signed_headers("GET", "/a.txt", timestamp=now - 299), now=now), EMPTY)
        self.assertEqual(self.check(signed_headers("GET", "/a.txt", timestamp=now + 299), now=now), EMPTY)
        self.refused("staleTimestamp", signed_headers("GET", "/a.txt", timestamp=now - 301), now=now)
        self.refused("staleTimestamp", signed_headers("GET", "/a.txt", timestamp=now + 301), now=now)

    def test_missing_or_malformed_headers_are_refused(self):
        good = signed_headers("GET", "/a.txt")
        for name in good:
            headers = dict(good)
            del headers[name]
            self.refused("unauthenticated", headers)
        for name, value in [("X-Folio-Timestamp", "-5"), ("X-Folio-Timestamp", "1e9"),
                            ("X-Folio-Content-SHA256", EMPTY.upper()), ("X-Folio-Signature", "v2=" + "0" * 64),
                            ("X-Folio-Signature", good["X-Folio-Signature"].upper())]:
            self.refused("unauthenticated", {**good, name: value})

    def test_the_comparison_is_constant_time(self):
        # hmac.compare_digest is the check; a regression to == would show here.
        import inspect
        self.assertIn("hmac.compare_digest", inspect.getsource(app.check_signature))


class PathTests(unittest.TestCase):
    def names(self, target, prefix=""):
        return app.parse_target(prefix, target)

    def test_segments_are_decoded_one_by_one(self):
        self.assertEqual(self.names("/"), ([], ""))
        self.assertEqual(self.names("/Reports%202026/q3.xlsx?meta"), (["Reports 2026", "q3.xlsx"], "meta"))
        self.assertEqual(self.names("/%D0%9E%D1%82.docx"), (["От.docx"], ""))
        self.assertEqual(self.names("/folio/a/?list", prefix="/folio"), (["a"], "list"))

    def test_ways_out_and_smuggled_separators_are_refused(self):
        for target in ["/..", "/%2e%2e/x", "/%2E%2E", "/a/%2e", "/a%2fb", "/a%2Fb", "/a%5cb", "/a\\b",
                       "//x", "/a//b", "/%00", "/a%0Ab", "/%C0%AE%C0%AE", "/%zz", "/%4", "/%ff",
                       "/" + "x" * 256, "/.folio-staged.part"]:
            with self.assertRaises(app.Refusal, msg=target) as caught:
                self.names(target)
            self.assertEqual((caught.exception.status, caught.exception.code), (400, "badPath"), target)

    def test_unknown_actions_and_foreign_prefixes_are_refused(self):
        for target in ["/a?meta=1", "/a?delete", "/a?meta&list"]:
            with self.assertRaises(app.Refusal) as caught:
                self.names(target)
            self.assertEqual(caught.exception.code, "badRequest")
        with self.assertRaises(app.Refusal) as caught:
            self.names("/other/a", prefix="/folio")
        self.assertEqual(caught.exception.status, 404)


class LiveApp(unittest.TestCase):
    """The app over a hostile tree: base/space is served, base/outside holds a secret."""

    @classmethod
    def setUpClass(cls):
        cls.base = tempfile.mkdtemp(prefix="connector-app-test.")
        cls.root = os.path.join(cls.base, "space")
        cls.outside = os.path.join(cls.base, "outside")
        os.makedirs(os.path.join(cls.root, "inner"))
        os.makedirs(cls.outside)
        with open(os.path.join(cls.outside, "secret.txt"), "w") as f:
            f.write("secret")
        os.symlink(os.path.join(cls.outside, "secret.txt"), os.path.join(cls.root, "out-file.txt"))
        os.symlink(cls.outside, os.path.join(cls.root, "out-dir"))
        os.symlink("..", os.path.join(cls.root, "up"))
        secret_file = os.path.join(cls.base, "secret")
        with open(secret_file, "wb") as f:
            f.write(SECRET + b"\n")
        cls.log = open(os.path.join(cls.base, "app.log"), "w+")
        cls.process = subprocess.Popen(
            [sys.executable, os.path.join(APP_DIR, "app.py"), "--root", cls.root, "--secret-file", secret_file,
             "--port", "0", "--max-size", str(1024 * 1024)],
            stdout=subprocess.PIPE, stderr=cls.log, text=True)
        line = cls.process.stdout.readline()
        if "serving" not in line:
            cls.tearDownClass()
            raise RuntimeError("the app did not start: %r" % line)
        url = line.rsplit(" at ", 1)[1].strip()
        cls.port = int(url.rsplit(":", 1)[1].strip("/"))

    @classmethod
    def tearDownClass(cls):
        cls.process.terminate()
        cls.process.wait(10)
        cls.process.stdout.close()
        cls.log.close()
        shutil.rmtree(cls.base)

    def setUp(self):
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)

    def tearDown(self):
        self.connection.close()

    def send(self, method, target, body=b"", headers=None, sign=True, **signing):
        all_headers = signed_headers(method, target, body, **signing) if sign else {}
        all_headers.update(headers or {})
        if body or method in ("PUT", "POST"):
            all_headers["Content-Length"] = str(len(body))
        self.connection.request(method, target, body=body or None, headers=all_headers)
        response = self.connection.getresponse()
        data = response.read()
        return response, data

    def error(self, response, data, status, code):
        self.assertEqual(response.status, status, data)
        self.assertEqual(response.getheader("Content-Type"), "application/json")
        error = json.loads(data)["error"]
        self.assertEqual(error["code"], code, data)
        self.assertTrue(error["message"])
        return json.loads(data)

    def outside_untouched(self):
        self.assertEqual(sorted(os.listdir(self.outside)), ["secret.txt"])
        with open(os.path.join(self.outside, "secret.txt")) as f:
            self.assertEqual(f.read(), "secret")


class LiveSigningTests(LiveApp):
    def test_unsigned_wrong_and_old_requests_are_refused_with_json(self):
        self.error(*self.send("GET", "/?list", sign=False), 401, "unauthenticated")
        self.error(*self.send("GET", "/?list", secret=b"not-the-secret-at-all"), 401, "badSignature")
        self.error(*self.send("GET", "/?list", timestamp=int(time.time()) - 600), 401, "staleTimestamp")
        response, data = self.send("GET", "/?list")
        self.assertEqual(response.status, 200, data)

    def test_a_refused_upload_still_gets_its_answer_on_a_live_connection(self):
        body = os.urandom(300_000)
        self.error(*self.send("PUT", "/x.bin", body, {"If-None-Match": "*"}, secret=b"wrong-secret-0123456789"),
                   401, "badSignature")
        response, _ = self.send("GET", "/?list")  # the same connection
        self.assertEqual(response.status, 200)
        self.assertFalse(os.path.exists(os.path.join(self.root, "x.bin")))

    def test_a_body_that_is_not_the_signed_one_writes_nothing(self):
        signed = signed_headers("PUT", "/forged.txt", b"the signed body")
        headers = {**signed, "If-None-Match": "*"}
        response, data = self.send("PUT", "/forged.txt", b"another body!!!", headers, sign=False)
        self.error(response, data, 400, "digestMismatch")
        self.assertFalse(os.path.exists(os.path.join(self.root, "forged.txt")))
        self.assertEqual([n for n in os.listdir(self.root) if n.startswith(".folio-")], [])

    def test_a_body_over_the_limit_is_413(self):
        response, data = self.send("PUT", "/big.bin", b"x" * (1024 * 1024 + 1), {"If-None-Match": "*"})
        body = self.error(response, data, 413, "tooLarge")
        self.assertEqual(body["error"]["limit"], 1024 * 1024)


class LiveConfinementTests(LiveApp):
    def test_raw_attacks_are_refused_and_touch_nothing(self):
        for target in ["/%2e%2e/outside/secret.txt", "/..%2foutside%2fsecret.txt", "/inner/%2E%2E/%2E%2E/x",
                       "/out-file.txt", "/out-dir/secret.txt", "/up/outside/secret.txt", "/out-dir?list"]:
            response, data = self.send("GET", target)
            self.error(response, data, 400, "badPath")
            self.assertNotIn(b"secret\"", data.replace(b"secret.txt", b""))
            response, data = self.send("PUT", target.split("?")[0], b"pwned", {"If-None-Match": "*"})
            self.assertEqual(response.status, 400, (target, data))
        self.error(*self.send("POST", "/out-dir/made?mkdir"), 400, "badPath")
        self.outside_untouched()

    def test_a_move_cannot_leave_the_space(self):
        response, data = self.send("PUT", "/inner/mine.txt", b"mine", {"If-None-Match": "*"})
        self.assertEqual(response.status, 201, data)
        tag = json.loads(data)["etag"]
        for to in ["/out-dir/stolen.txt", "/%2e%2e/outside/stolen.txt", "/up/outside/stolen.txt"]:
            body = json.dumps({"to": to}).encode()
            response, data = self.send("POST", "/inner/mine.txt?move", body, {"If-Match": tag})
            self.error(response, data, 400, "badPath")
        self.outside_untouched()

    def test_listings_hide_links_out_and_staging_files(self):
        open(os.path.join(self.root, "inner", ".folio-abc.part"), "w").close()
        response, data = self.send("GET", "/?list")
        self.assertEqual(response.status, 200)
        self.assertEqual(sorted(e["name"] for e in json.loads(data)["entries"]), ["inner"])
        response, data = self.send("GET", "/inner?list")
        self.assertNotIn(".folio-abc.part", [e["name"] for e in json.loads(data)["entries"]])


class LiveOperationTests(LiveApp):
    def test_every_operation_and_its_refusals(self):
        put = lambda path, body, condition: self.send("PUT", path, body, condition)  # noqa: E731
        response, data = put("/doc.txt", b"hello world", {"If-None-Match": "*"})
        self.assertEqual(response.status, 201, data)
        first = json.loads(data)
        self.assertEqual((first["name"], first["size"], first["isFolder"]), ("doc.txt", 11, False))
        self.assertEqual(response.getheader("ETag"), first["etag"])
        refused = self.error(*put("/doc.txt", b"again", {"If-None-Match": "*"}), 412, "changed")
        self.assertEqual(refused["current"]["etag"], first["etag"])
        self.error(*put("/doc.txt", b"x", {}), 428, "conditionRequired")
        self.error(*put("/nowhere/doc.txt", b"x", {"If-None-Match": "*"}), 409, "parentMissing")

        response, data = put("/doc.txt", b"HELLO WORLD!", {"If-Match": first["etag"]})
        self.assertEqual(response.status, 200, data)
        second = json.loads(data)
        self.assertNotEqual(second["etag"], first["etag"])
        self.error(*put("/doc.txt", b"stale", {"If-Match": first["etag"]}), 412, "changed")

        response, data = self.send("GET", "/doc.txt?meta")
        self.assertEqual(json.loads(data), second)
        response, data = self.send("GET", "/doc.txt", headers={"Range": "bytes=6-99"})
        self.assertEqual((response.status, data), (206, b"WORLD!"))
        self.assertEqual(response.getheader("Content-Range"), "bytes 6-11/12")
        self.assertEqual(response.getheader("X-Folio-Size"), "12")
        self.assertEqual(response.getheader("ETag"), second["etag"])
        response, data = self.send("GET", "/doc.txt", headers={"Range": "bytes=12-"})
        self.error(response, data, 416, "rangeNotSatisfiable")
        self.assertEqual(response.getheader("Content-Range"), "bytes */12")
        self.assertEqual(response.getheader("ETag"), second["etag"])

        response, data = self.send("POST", "/Folder?mkdir")
        self.assertEqual(response.status, 201, data)
        self.assertTrue(json.loads(data)["isFolder"])
        self.error(*self.send("POST", "/Folder?mkdir"), 409, "exists")
        self.error(*self.send("POST", "/no/Folder?mkdir"), 409, "parentMissing")
        self.error(*self.send("GET", "/Folder"), 404, "notFound")

        move = lambda to, tag: self.send(  # noqa: E731
            "POST", "/doc.txt?move", json.dumps({"to": to}).encode(), {"If-Match": tag})
        put("/Folder/taken.txt", b"taken", {"If-None-Match": "*"})
        self.error(*move("/Folder/taken.txt", second["etag"]), 409, "exists")
        self.error(*move("/Folder/x.txt", first["etag"]), 412, "changed")
        self.error(*move("/Nope/x.txt", second["etag"]), 409, "parentMissing")
        response, data = move("/Folder/%C3%A9t%C3%A9.txt", second["etag"])
        self.assertEqual(response.status, 201, data)
        moved = json.loads(data)
        self.assertEqual(moved["name"], "été.txt")
        self.error(*self.send("GET", "/doc.txt?meta"), 404, "notFound")
        with open(os.path.join(self.root, "Folder", "taken.txt")) as f:
            self.assertEqual(f.read(), "taken")

        self.error(*self.send("DELETE", "/Folder/%C3%A9t%C3%A9.txt", headers={"If-Match": first["etag"]}),
                   412, "changed")
        self.error(*self.send("DELETE", "/Folder/%C3%A9t%C3%A9.txt"), 428, "conditionRequired")
        response, _ = self.send("DELETE", "/Folder/%C3%A9t%C3%A9.txt", headers={"If-Match": moved["etag"]})
        self.assertEqual(response.status, 204)
        self.error(*self.send("DELETE", "/Folder/%C3%A9t%C3%A9.txt", headers={"If-Match": moved["etag"]}),
                   404, "notFound")
        response, data = self.send("GET", "/Folder?list")
        self.assertEqual([e["name"] for e in json.loads(data)["entries"]], ["taken.txt"])
        self.error(*self.send("GET", "/nothing?list"), 404, "notFound")
        self.error(*self.send("PATCH", "/Folder/taken.txt"), 405, "methodNotAllowed")


if __name__ == "__main__":
    unittest.main()
