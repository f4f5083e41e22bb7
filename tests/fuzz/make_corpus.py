#!/usr/bin/env python3
"""Seed corpora and dictionaries of the fuzzers, from the sources.

Seeds: every JSON object body written in tests/api/*.c (adjacent C string
literals joined, printf conversions filled with small ids or "x"), sent to
the reader, route and raw request whose fields it uses most; plus, for
fuzz_pipeline, one body-less request per route and, for fuzz_http, a few
hand-written requests at the protocol's edges.  Dictionaries: every field
name of the field tables in src/api/, the route paths and HTTP tokens.

Run from anywhere; rewrites tests/fuzz/corpus/ and tests/fuzz/*.dict.
The output is committed: rerun it when the API tests or tables change.
"""
import hashlib
import json
import os
import re
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SRC = os.path.join(ROOT, "src", "api")
OUT = os.path.join(ROOT, "tests", "fuzz")

# fuzz_fields.c's table, in order: (reader, src file, tables, nested keys,
# pipeline route (method, pattern)).
READERS = [
    ("login", "api_session.c", ["login_fields"], [], ("POST", "/api/v1/session")),
    ("password_change", "api_session.c", ["password_change_fields"], [], ("POST", "/api/v1/me/password")),
    ("user_create", "api_users.c", ["user_create_fields"], [], ("POST", "/api/v1/users")),
    ("user_patch", "api_users.c", ["user_patch_fields"], [], ("PATCH", "/api/v1/users/{id}")),
    ("user_password", "api_users.c", ["user_password_fields"], [], ("POST", "/api/v1/users/{id}/password")),
    ("organization", "api_organizations.c", ["org_fields"], [], ("POST", "/api/v1/organizations")),
    ("grant", "api_grants.c", ["grant_fields"], [], ("POST", "/api/v1/auditor-grants")),
    ("token", "api_tokens.c", ["token_fields"], [], ("POST", "/api/v1/tokens")),
    ("numbering", "api_numbering.c", ["numbering_fields"], [], ("POST", "/api/v1/numbering")),
    ("settings", "api_settings.c", ["settings_fields"], [], ("PATCH", "/api/v1/settings")),
    ("reception", "api_receptions.c", ["reception_fields"], [], ("POST", "/api/v1/receptions")),
    ("warehouse_note", "api_warehouse_notes.c", ["note_fields"], [], ("POST", "/api/v1/warehouse-notes")),
    ("purchase_settlement", "api_purchase_settlements.c", ["settlement_fields"], [], ("POST", "/api/v1/purchase-settlements")),
    ("annul", "api_acopio.c", ["api_annul_fields"], [], ("POST", "/api/v1/receptions/{id}/annul")),
    ("dispatch", "api_dispatches.c", ["dispatch_fields"], ["carrier", "note_ids"], ("POST", "/api/v1/dispatches")),
    ("plant_receipt", "api_plant_receipts.c", ["receipt_fields"], [], ("POST", "/api/v1/plant-receipts")),
    ("producer_create", "api_producers.c", ["producer_create_fields"], ["programs", "other_certifications"], ("POST", "/api/v1/producers")),
    ("producer_patch", "api_producers.c", ["producer_patch_fields"], ["programs", "other_certifications"], ("PATCH", "/api/v1/producers/{id}")),
    ("plot_create", "api_plots.c", ["plot_create_fields"], ["location"], ("POST", "/api/v1/plots")),
    ("plot_patch", "api_plots.c", ["plot_patch_fields"], ["location"], ("PATCH", "/api/v1/plots/{id}")),
    ("plot_estimate", "api_plots.c", ["estimate_fields"], [], ("POST", "/api/v1/plots/{id}/estimates")),
    ("certification", "api_certifications.c", ["certification_fields"], [], ("POST", "/api/v1/certifications")),
    ("lpa_approve", "api_lpa.c", ["lpa_approve_fields"], [], ("POST", "/api/v1/lpa")),
    ("lpa_withdraw", "api_lpa.c", ["lpa_withdraw_fields"], [], ("POST", "/api/v1/lpa/withdraw")),
    ("process_order", "api_process_orders.c", ["order_fields"], ["inputs"], ("POST", "/api/v1/process-orders")),
    ("marking_order", "api_marking_orders.c", ["marking_fields"], [], ("POST", "/api/v1/marking-orders")),
    ("process_settlement", "api_process_settlements.c", ["lop_fields"], ["outputs"], ("POST", "/api/v1/process-settlements")),
    ("plant_exit", "api_plant_exits.c", ["exit_fields"], ["carrier"], ("POST", "/api/v1/plant-exits")),
    ("export_lot", "api_export_lots.c", ["lot_fields"], ["sources"], ("POST", "/api/v1/export-lots")),
    ("shipment", "api_shipments.c", ["shipment_fields"], ["lots"], ("POST", "/api/v1/shipments")),
]
SUBTABLES = ["carrier_fields", "order_input_fields", "lot_source_fields",
             "shipment_lot_fields"]

# enum fuzz_who in fuzz_server.h
WHO = {"PERM_PUBLIC": 0, "PERM_INSTANCE": 1, "PERM_ORG_ADMIN": 2,
       "PERM_USER_ADMIN": 2, "PERM_COOP_WRITE": 3, "PERM_EXPORT_WRITE": 4,
       "PERM_PLANT_WRITE": 6, "PERM_AUDIT_READ": 7}
CLERK = 3


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def table_names(text, table):
    m = re.search(r"struct field %s\[\] = \{(.*?)FIELD_END" % re.escape(table), text, re.S)
    return re.findall(r'"([a-z_]+)"', m.group(1)) if m else []


def routes():
    """Every route in api_route_tables order: (method, pattern, perm)."""
    order = re.findall(r"^\t([a-z_]+_routes),$", read(os.path.join(SRC, "api.c")), re.M)
    found = {}
    for name in os.listdir(SRC):
        text = read(os.path.join(SRC, name))
        for m in re.finditer(r"const struct route ([a-z_]+)\[\] = \{(.*?)\n\};", text, re.S):
            found[m.group(1)] = re.findall(
                r'\{\s*"([A-Z]+)",\s*"([^"]+)",\s*[a-z_]+,\s*(PERM_[A-Z_]+)', m.group(2))
    return [r for t in order for r in found[t]]


def c_strings(text):
    """Bodies: runs of adjacent string literals, joined and unescaped."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    lit = r'"(?:[^"\\\n]|\\.)*"'
    for m in re.finditer(r"(%s(?:\s*%s)*)" % (lit, lit), text):
        parts = re.findall(lit, m.group(1))
        s = "".join(p[1:-1] for p in parts)
        s = s.encode("latin-1", "backslashreplace").decode("unicode_escape").encode("latin-1", "replace").decode("utf-8", "replace")
        if s.startswith("{") and '":' in s:
            yield s


def fill(s):
    s = re.sub(r"%(?:ll|l|z)?[du]|%\" ?PRI[du]64 ?\"", "1", s)
    s = s.replace('%" PRId64 "', "1")
    s = re.sub(r"%\.?\*?s|%s", "x", s)
    return s.replace("%%", "%")


def save(sub, data):
    d = os.path.join(OUT, "corpus", sub)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def http_request(method, path, body, who):
    head = "%s %s HTTP/1.1\r\nHost: fuzz\r\n" % (method, path)
    if who:
        head += "Cookie: @COOKIE@\r\nX-CSRF-Token: @CSRF@\r\n"
    if body is not None:
        ctype = "text/csv" if path.endswith("/import") else "application/json"
        head += "Content-Type: %s\r\nContent-Length: %d\r\n" % (ctype, len(body))
    return (head + "\r\n").encode() + (body or b"")


def main():
    for sub in ("fuzz_fields", "fuzz_pipeline", "fuzz_http"):
        shutil.rmtree(os.path.join(OUT, "corpus", sub), ignore_errors=True)
    texts = {f: read(os.path.join(SRC, f)) for f in os.listdir(SRC) if f.endswith(".c")}
    keys = []
    for reader, src, tables, nested, _ in READERS:
        k = set(nested)
        for t in tables:
            k |= set(table_names(texts[src], t))
        keys.append(k)
    fields = set().union(*keys)
    for src in texts.values():
        for t in SUBTABLES:
            fields |= set(table_names(src, t))
    rts = routes()
    index = {(m, p): i for i, (m, p, _) in enumerate(rts)}
    perm = {(m, p): w for m, p, w in rts}

    bodies = set()
    tests = os.path.join(ROOT, "tests", "api")
    for name in sorted(os.listdir(tests)):
        if name.endswith(".c"):
            for s in c_strings(read(os.path.join(tests, name))):
                try:
                    doc = json.loads(fill(s))
                except ValueError:
                    continue
                if isinstance(doc, dict) and doc:
                    bodies.add(json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
    used = 0
    for b in sorted(bodies):
        k = set(json.loads(b))
        score = [len(k & r) - len(k - r) for r in keys]
        best = max(range(len(keys)), key=lambda i: score[i])
        if score[best] <= 0:
            continue
        used += 1
        data = b.encode()
        method, pattern = READERS[best][4]
        save("fuzz_fields", bytes([best]) + data)
        who = WHO.get(perm[(method, pattern)], CLERK)
        save("fuzz_pipeline", bytes([index[(method, pattern)], who, 0, 0]) + data)
        save("fuzz_http", http_request(method, pattern.replace("{id}", "1"), data, who))
    for i, (m, p, w) in enumerate(rts):
        who = WHO.get(w, CLERK)
        save("fuzz_pipeline", bytes([i, who, 0, 0]))
        if m == "GET":
            save("fuzz_http", http_request(m, p.replace("{id}", "1").replace("{dni}", "12345678"), None, who))
    csv = ("DNI;Nombres;Apellidos;Sexo;Estatus\r\n12345678;Ana;Pérez;F;organic\r\n"
           "\"8765432\";\"Luis \"\"Lucho\"\"\";Díaz;M;transition\r\n").encode()
    save("fuzz_fields", bytes([len(READERS)]) + csv)
    save("fuzz_pipeline", bytes([index[("POST", "/api/v1/producers/import")], CLERK, 0, 0]) + csv)
    save("fuzz_http", http_request("POST", "/api/v1/producers/import", csv, CLERK))
    for raw in [
        b"GET / HTTP/1.1\r\nHost: fuzz\r\nAccept-Encoding: gzip\r\n\r\n",
        b"GET /index.html HTTP/1.1\r\nHost: fuzz\r\nIf-None-Match: \"x\"\r\n\r\n",
        b"GET /vendor/leaflet/leaflet.js HTTP/1.1\r\nHost: fuzz\r\n\r\n",
        b"GET /../etc/passwd HTTP/1.1\r\nHost: fuzz\r\n\r\n",
        b"GET /api/v1/health%00 HTTP/1.1\r\nHost: fuzz\r\n\r\n",
        b"HEAD /api/v1/health HTTP/1.0\r\n\r\n",
        b"GET /api/v1/health HTTP/1.1\r\nHost: fuzz\r\n\r\nGET /api/v1/me HTTP/1.1\r\nHost: fuzz\r\nCookie: @COOKIE@\r\n\r\n",
        b"POST /api/v1/receptions HTTP/1.1\r\nHost: fuzz\r\nCookie: @COOKIE@\r\nX-CSRF-Token: @CSRF@\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n2\r\n1}\r\n0\r\n\r\n",
        b"POST /api/v1/session HTTP/1.1\r\nHost: fuzz\r\nContent-Type: application/json\r\n"
        b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        b"POST /api/v1/session HTTP/1.1\r\nHost: fuzz\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000000000000\r\n\r\n{",
        b"POST /api/v1/receptions HTTP/1.1\r\nHost: fuzz\r\nAuthorization: Bearer x\r\n"
        b"Idempotency-Key: k1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
        b"TRACE /api/v1/health HTTP/1.1\r\nHost: fuzz\r\n\r\n",
    ]:
        save("fuzz_http", raw)
    print("%d bodies from tests/api, %d routes" % (used, len(rts)))

    http = ["GET", "POST", "PATCH", "DELETE", "HEAD", "PUT", "OPTIONS", "HTTP/1.1", "HTTP/1.0",
            "\r\n", "\r\n\r\n", "Host: ", "Content-Type: application/json", "Content-Type: text/csv",
            "Content-Length: ", "Transfer-Encoding: chunked", "Connection: close", "Connection: keep-alive",
            "Cookie: @COOKIE@", "pergamino_session=", "X-CSRF-Token: @CSRF@", "Authorization: Bearer ",
            "Idempotency-Key: ", "If-Match: ", "If-None-Match: ", "Accept-Encoding: gzip",
            "Expect: 100-continue", "X-Forwarded-For: ", "%00", "%2e%2e", "/api/v1/", "@COOKIE@", "@CSRF@"]
    json_tokens = ["{", "}", "[", "]", ":", ",", "null", "true", "false", '"', "\\", "\\u0000",
                   "\\ud800", "1e999", "-0", "0.1", '"2026-02-29"', '"472.6"', "9223372036854775807",
                   "organic", "transition", "conventional", "Point", "Polygon", "coordinates", "type"]

    def q(s):
        out = ""
        for ch in s.encode("utf-8"):
            c = chr(ch)
            if c in '"\\':
                out += "\\" + c
            elif 0x20 <= ch < 0x7f:
                out += c
            else:
                out += "\\x%02X" % ch
        return '"%s"' % out

    def write_dict(name, entries):
        with open(os.path.join(OUT, name + ".dict"), "w", encoding="utf-8") as f:
            f.write("# Generated by tests/fuzz/make_corpus.py: field names of src/api's tables,\n"
                    "# route paths, JSON and HTTP tokens.\n")
            for e in sorted(set(entries)):
                f.write(q(e) + "\n")

    names = ['"%s":' % n for n in fields]
    paths = sorted({re.sub(r"\{[a-z]+\}", "1", p) for _, p, _ in rts})
    write_dict("fuzz_fields", names + json_tokens)
    write_dict("fuzz_pipeline", names + json_tokens)
    write_dict("fuzz_http", names + paths + http + json_tokens)


if __name__ == "__main__":
    main()
