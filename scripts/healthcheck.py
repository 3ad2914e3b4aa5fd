#!/usr/bin/env python
"""Exit 0 when the web process answers GET /healthz, 1 otherwise: the container health check.

    python scripts/healthcheck.py                         # http://127.0.0.1:8000/healthz
    python scripts/healthcheck.py http://127.0.0.1:8100/healthz

It sends a host name the site accepts (the first of ALLOWED_HOSTS), since Django refuses any
other, and /healthz is exempt from the HTTPS redirect. No Django import: it runs every few
seconds.
"""

import os
import sys
import urllib.request


def main() -> int:
    url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000/healthz"
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = hosts[0].lstrip(".") if hosts and hosts[0] != "*" else "localhost"
    request = urllib.request.Request(url, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=4) as response:
            ok = response.status == 200 and response.read() == b"ok"
    except OSError as exc:
        print(f"{url}: {exc}", file=sys.stderr)
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
