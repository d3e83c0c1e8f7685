"""Shared test helpers: the faithfulness invariant and small builders."""

from __future__ import annotations

import os
import random
from collections import Counter
from typing import NoReturn

import pytest

from plancmp.model import Document, point_texts


def nonblank(text: str) -> Counter[str]:
    """The multiset of non-whitespace characters of text."""
    return Counter(ch for ch in text if not ch.isspace())


def assert_faithful(doc: Document, content: str) -> None:
    """Every non-blank character of the source's text content lands exactly once in the model."""
    model = Counter[str]()
    for piece in point_texts(doc):
        model.update(nonblank(piece))
    source = nonblank(content)
    missing = source - model
    extra = model - source
    assert not missing and not extra, f"lost {dict(missing)!r}; invented {dict(extra)!r}"


@pytest.fixture
def faithful():  # type: ignore[no-untyped-def]
    """The faithfulness check, as a fixture for tests that prefer not to import conftest."""
    return assert_faithful


CHROMIUM = os.environ.get("PLANCMP_CHROMIUM") or "/usr/bin/chromium"
"""The browser the browser tests drive: $PLANCMP_CHROMIUM, or Debian's chromium."""


def in_ci() -> bool:
    """Whether the suite runs in CI ($CI set, as CI services and .ci/run set it)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def browser_unavailable(reason: str) -> NoReturn:
    """Skip a browser test, saying why; in CI fail it instead, where a skip would pass unseen."""
    if in_ci():
        pytest.fail(f"CI is set, so the browser tests must run, but: {reason}", pytrace=False)
    pytest.skip(reason)


def _seed() -> int:
    value = os.environ.get("PLANCMP_SEED", "").strip()
    if not value:
        return random.SystemRandom().randrange(2**32)
    try:
        return int(value)
    except ValueError:
        raise pytest.UsageError(f"PLANCMP_SEED={value!r}: give a whole number (the one a failed run printed)") from None


SEED = _seed()
"""Where the varying properties draw their examples from: $PLANCMP_SEED, else new on every run."""


def pytest_report_header(config: pytest.Config) -> str:
    """The seed at the top of the run, so that any run can be replayed."""
    return f"plancmp properties: PLANCMP_SEED={SEED}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """A varying property that fails says how to replay its examples."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and item.get_closest_marker("varying") is not None:
        report.sections.append(("replay", f"PLANCMP_SEED={SEED} pytest -p no:cacheprovider '{item.nodeid}'"))


def pytest_addoption(parser: pytest.Parser) -> None:
    """`pytest --update-golden` rewrites the expected outputs of tests/golden on purpose."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/*/expected.* from the current output instead of comparing",
    )


def needs_batch_extra() -> pytest.MarkDecorator:
    """Skip mark for what runs `plancmp batch`: skipped, naming what is missing, without the batch extra."""
    from plancmp.batch import missing_extra

    missing = missing_extra()
    return pytest.mark.skipif(
        bool(missing), reason=f"needs the batch extra ({', '.join(missing)} missing): pip install -e '.[batch]'"
    )
