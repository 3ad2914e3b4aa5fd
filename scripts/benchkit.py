"""Helpers the benchmark scripts share: their database, and stopping what they started."""

import os
import signal
import socket
import subprocess
from urllib.parse import urlparse


def create_database(url: str) -> None:
    """Create the PostgreSQL database `url` names unless it exists."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def port_in_use(port: int) -> bool:
    """Whether something listens on 127.0.0.1:port."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def stop(process: subprocess.Popen) -> None:
    """Stop a process started with start_new_session=True, and its children: SIGTERM, then
    SIGKILL if it has not gone within ten seconds."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def unwind_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so the scripts' finally blocks stop what they started and
    clean up; a second signal (timeout(1) signals the whole group) must not cut that short."""

    def terminate(*_) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, terminate)
