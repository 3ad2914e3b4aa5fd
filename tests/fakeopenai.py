"""A small, real OpenAI-compatible HTTP server on 127.0.0.1 for tests.

It speaks just enough of the Chat Completions API (POST /v1/chat/completions) for the real
`openai` client to talk to it. Each test scripts a queue of responses and afterwards reads the
requests the server received. With nothing left in the queue it answers 500 and says so, so a
test that under-scripts fails loudly instead of hanging.
"""

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CHAT_PATH = "/v1/chat/completions"


@dataclass
class Scripted:
    status: int = 200
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Received:
    path: str
    headers: dict[str, str]  # names lowercased
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", [])

    @property
    def prompt_text(self) -> str:
        """Every message's content, joined: what the model was shown."""
        return "\n".join(str(m.get("content", "")) for m in self.messages)


def completion(
    content: str | None, *, refusal: str | None = None, finish_reason: str = "stop"
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "fake-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "finish_reason": finish_reason,
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


def error_body(message: str, kind: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


class FakeOpenAI:
    """Start with `with FakeOpenAI() as fake:`; script with the reply_* methods."""

    def __init__(self) -> None:
        self.queue: deque[Scripted] = deque()
        self.requests: list[Received] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> "FakeOpenAI":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers that are sleeping out a scripted delay
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "FakeOpenAI":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # Scripting: each call queues one response, served in order.

    def reply_json(self, payload: dict[str, Any]) -> None:
        """A well-formed completion whose content is `payload` as JSON."""
        self.queue.append(Scripted(body=completion(json.dumps(payload))))

    def reply_content(self, content: str, *, finish_reason: str = "stop") -> None:
        """A completion whose content is this exact text (e.g. malformed JSON)."""
        self.queue.append(Scripted(body=completion(content, finish_reason=finish_reason)))

    def reply_refusal(self, reason: str = "I can't help with that.") -> None:
        self.queue.append(Scripted(body=completion(None, refusal=reason)))

    def reply_status(self, status: int, *, retry_after: str | None = None) -> None:
        """An API error, e.g. 429 (with Retry-After) or 500."""
        kinds = {429: "rate_limit_exceeded", 401: "invalid_api_key"}
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        body = error_body(f"fake error {status}", kinds.get(status, "server_error"))
        self.queue.append(Scripted(status=status, body=body, headers=headers))

    def reply_slowly(self, seconds: float, payload: dict[str, Any] | None = None) -> None:
        """Hold the request for `seconds` before answering: longer than a client timeout."""
        body = completion(json.dumps(payload or {}))
        self.queue.append(Scripted(body=body, delay=seconds))

    def _next(self, received: Received) -> Scripted:
        with self._lock:
            self.requests.append(received)
            if self.queue:
                return self.queue.popleft()
        body = error_body("fake server: no scripted response left", "server_error")
        return Scripted(status=500, body=body)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path != CHAT_PATH:
                    self._send(Scripted(status=404, body=error_body("not found", "not_found")))
                    return
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    self._send(Scripted(status=400, body=error_body("bad JSON", "invalid")))
                    return
                headers = {k.lower(): v for k, v in self.headers.items()}
                received = Received(self.path, headers, body)
                self._send(fake._next(received))

            def _send(self, scripted: Scripted) -> None:
                if scripted.delay and fake._stopping.wait(scripted.delay):
                    return
                payload = json.dumps(scripted.body or {}).encode()
                try:
                    self.send_response(scripted.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in scripted.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timed out) before the scripted delay ended

        return Handler
