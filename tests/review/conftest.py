"""A review server over a temporary copy of the corpus (never the real one), and a headless Chromium."""
from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import CORPUS



class Server:
    """uvicorn serving the review app in a thread, on a free loopback port."""

    def __init__(self, app):
        import uvicorn

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                return
            time.sleep(0.05)
        raise RuntimeError("review server did not start")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """The project's corpus copied into a temporary folder, with an ``annotations/`` folder beside it."""
    root = tmp_path / "project"
    shutil.copytree(CORPUS, root / "corpus")
    (root / "annotations").mkdir()
    return root


@pytest.fixture
def review_server(corpus_copy: Path):
    from nuskha.review.app import create_app

    curation = corpus_copy / "annotations" / "curation.jsonl"
    server = Server(create_app(corpus_copy / "corpus", curation, editor="tester"))
    server.curation = curation
    server.root = corpus_copy
    yield server
    server.stop()


