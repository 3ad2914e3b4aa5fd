"""Locust: candidates working through a mock round, making the requests its pages make.

scripts/load_test.py prepares the candidates and runs this file; it can also run on its own
against a server whose database has them (LOAD_CANDIDATES names their JSON file):

    LOAD_CANDIDATES=candidates.json .venv/bin/locust -f scripts/locustfile.py \\
        --headless -u 500 -r 10 -t 110s --host http://127.0.0.1:8150

Each simulated candidate has a signed-in session and a round of questions. For each question it
opens the page, reads for a few seconds and types for one to six minutes, the page autosaving
every 5 s; it submits, answers the follow-up probe (half a minute to two minutes), and opens the
question again to read its feedback, which the page polls for once a second until the worker
has scored it. A candidate arrives part-way through an answer, so that from the start the
candidates are spread over the cycle as real ones are. Requests are named by kind: the
statistics give p50 and p99 for each.
"""

import itertools
import json
import os
import random
import re
from http.cookiejar import Cookie
from pathlib import Path
from urllib.parse import urlparse

import gevent
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

AUTOSAVE_EVERY = 5  # seconds, while typing
MAIN_SAVES = (12, 72)  # one to six minutes of typing
FOLLOW_UP_SAVES = (6, 24)  # half a minute to two (the follow-up allows three)
WORDS_PER_SAVE = (4, 8)  # 50 to 100 words a minute
MAX_POLLS = 60  # the page gives up after 120; a minute is plenty for the worker here
SENTENCE = (
    "we start with one market and a small beta so we can measure day seven retention against a "
    "holdout before we spend on reach then we decide whether to add the next region"
)
WORDS = SENTENCE.split(" ")
FEEDBACK_POLL = re.compile(r'hx-get="([^"]*/feedback/\?try=\d+)"')

_candidates: list[dict] = []
_next = itertools.count()


@events.init.add_listener
def load_candidates(environment, **kwargs) -> None:
    path = os.environ.get("LOAD_CANDIDATES", "")
    if path:
        _candidates.extend(json.loads(Path(path).read_text()))


def _cookie(name: str, value: str, host: str) -> Cookie:
    return Cookie(0, name, value, None, False, host, False, False, "/", True, False, None, False,
                  None, None, {})  # fmt: skip


def _field(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    return match[1] if match else ""


class Candidate(FastHttpUser):
    # After reading a question's feedback, before the next question.
    wait_time = between(3, 10)

    def on_start(self) -> None:
        if not _candidates:
            raise RuntimeError("no candidates: set LOAD_CANDIDATES (scripts/load_test.py does)")
        me = _candidates[next(_next) % len(_candidates)]
        self.round_url = f"/rounds/{me['round']}/"
        host = urlparse(self.host).hostname
        self.client.cookiejar.set_cookie(_cookie("sessionid", me["session"], host))
        self.client.cookiejar.set_cookie(_cookie("csrftoken", me["csrf"], host))
        self.csrf = me["csrf"]
        self.arriving = True
        if random.random() < 0.2:  # some look through the bank on the way
            self.client.get("/questions/", name="page: question bank")

    @task
    def answer_the_next_question(self) -> None:
        saves, read = random.randint(*MAIN_SAVES), not self.arriving
        if self.arriving:  # part-way through this answer already, and past reading it
            saves, self.arriving = random.randint(1, saves), False
        if self.answer(self.open_next_step(), saves=saves, read=read) is None:
            return
        question_url = self.answer(self.open_next_step(), saves=random.randint(*FOLLOW_UP_SAVES))
        if question_url is None:
            return
        page = self.client.get(question_url, name="page: question with feedback").text
        for url in FEEDBACK_POLL.findall(page):
            self.poll_feedback(url)

    def open_next_step(self) -> str | None:
        """Follow the round to its open question; None when the round is over."""
        with self.client.get(
            self.round_url, name="page: round → step", allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or "/answers/" not in location:
                response.success()  # the round is over: the summary
                self.client.get(f"{self.round_url}summary/", name="page: summary")
                self.stop()
                return None
        return urlparse(location).path

    def answer(self, page_url: str | None, saves: int, read: bool = True) -> str | None:
        """Open the question, type with autosave, submit: where the page goes next."""
        if page_url is None:
            return None
        page = self.client.get(page_url, name="page: question").text
        form = {
            "csrfmiddlewaretoken": _field(page, "csrfmiddlewaretoken"),
            "question": _field(page, "question"),
            "autosave_token": _field(page, "autosave_token"),
        }
        text = ""
        htmx = {"HX-Request": "true", "X-CSRFToken": self.csrf, "Referer": self.host + page_url}
        if read:
            gevent.sleep(random.uniform(3, 8))
        for number in range(1, saves + 1):
            text += " " + " ".join(random.choices(WORDS, k=random.randint(*WORDS_PER_SAVE)))
            gevent.sleep(AUTOSAVE_EVERY)
            with self.client.post(
                f"{page_url}draft/",
                data=form | {"text": text, "sequence": str(number)},  # as round.js numbers saves
                headers=htmx,
                name="htmx: autosave",
                catch_response=True,
            ) as response:
                if "Saved at" not in response.text:
                    response.failure(f"no 'Saved at' ({response.status_code})")
        with self.client.post(
            f"{page_url}submit/",
            data=form | {"text": text},
            headers=htmx,
            name="htmx: submit",
            catch_response=True,
        ) as response:
            next_url = response.headers.get("HX-Redirect", "")
            if not next_url:
                response.failure(f"no HX-Redirect ({response.status_code})")
                return None
        return urlparse(next_url).path

    def poll_feedback(self, url: str) -> None:
        """As the page does: once a second until the fragment stops asking to be polled."""
        for _ in range(MAX_POLLS):
            gevent.sleep(1)
            fragment = self.client.get(
                url, headers={"HX-Request": "true"}, name="htmx: feedback poll"
            ).text
            polls = FEEDBACK_POLL.findall(fragment)
            if not polls:
                return
            url = polls[0]
