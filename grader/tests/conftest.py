"""Fixtures for the grader's tests: JWT Classroom itself, to be graded like any other app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tools.servers import free_port, start_classroom


@pytest.fixture(scope="session")
def classroom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """JWT Classroom as `make run` serves it, rate limits and all; yields its URL."""
    port = free_port()
    process = start_classroom(tmp_path_factory.mktemp("classroom"), port)
    yield f"http://127.0.0.1:{port}"
    process.stop()
