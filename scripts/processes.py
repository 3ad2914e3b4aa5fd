"""Process helpers the benchmark scripts share."""

import os
import signal
import subprocess


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
