"""The Intercom source against the loopback stub: paging, window, maximum, duplicates, retries, auth."""

from __future__ import annotations

import base64
import json
import time
from datetime import datetime, timezone

import pytest

from feedback_assets.sources import (
    IntercomSource,
    RetryPolicy,
    SourceAuthError,
    SourceConfigError,
    SourceRequestError,
    build_source,
)
from feedback_assets.sources.base import conversation_key
from feedback_assets_tests.fakes.intercom_stub import Fault, IntercomStub, intercom_conversation

T0 = 1_767_225_600  # 2026-01-01T00:00:00Z
START = datetime.fromtimestamp(T0, tz=timezone.utc)


def at(seconds: float) -> datetime:
    return datetime.fromtimestamp(T0 + seconds, tz=timezone.utc)


def seeded(count: int, step: int = 10) -> list[dict]:
    return [
        intercom_conversation(
            str(100 + i),
            updated_at=T0 + i * step,
            body=f"<p>Problem number {i}</p>",
            replies=[("admin", f"<p>Reply to {i}</p>")],
        )
        for i in range(count)
    ]


class RecordingSleep:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def stub():
    with IntercomStub(seeded(30)) as server:
        yield server


def make_source(stub: IntercomStub, **options) -> IntercomSource:
    options.setdefault("retry", RetryPolicy(max_attempts=4, backoff_base=0.0))
    return IntercomSource(access_token=options.pop("access_token", stub.token), base_url=stub.base_url, **options)


def ids(fetched) -> list[str]:
    return [c["id"] for c in fetched.conversations]


def test_pages_through_the_search_then_fetches_every_detail(stub):
    fetched = make_source(stub, per_page=7).fetch()
    assert ids(fetched) == [str(100 + i) for i in range(30)]
    assert all(c["conversation_parts"]["conversation_parts"][0]["author"]["type"] == "admin" for c in fetched.conversations)
    searches = stub.requests_to("search")
    assert len(searches) == 5 and fetched.stats["search_pages"] == 5
    assert searches[0].body["pagination"] == {"per_page": 7}
    # Each page asks for the cursor the previous answer gave in pages.next.starting_after.
    for previous, following in zip(searches, searches[1:]):
        decoded = json.loads(base64.urlsafe_b64decode(following.body["pagination"]["starting_after"]))
        assert decoded["page"] == searches.index(following) + 1
    assert searches[0].body["query"] == {"field": "updated_at", "operator": ">", "value": 0}
    for request in stub.requests:
        assert request.headers["authorization"] == f"Bearer {stub.token}"
        assert request.headers["intercom-version"] == "2.11"
        assert request.headers["accept"] == "application/json"
    assert len(stub.requests_to("detail")) == 30
    assert fetched.stats["returned"] == 30 and fetched.errors == []


@pytest.mark.parametrize("inclusive", [True, False], ids=["documented-inclusive", "strict"])
def test_window_is_exact_whichever_way_the_api_reads_its_operators(inclusive):
    conversations = [intercom_conversation(str(second), updated_at=T0 + second) for second in range(95, 106)] + [
        intercom_conversation(str(second), updated_at=T0 + second) for second in range(195, 206)
    ]
    with IntercomStub(conversations, inclusive_comparisons=inclusive) as server:
        fetched = make_source(server).fetch(at(100), at(200))
        assert ids(fetched) == [str(s) for s in range(100, 106)] + [str(s) for s in range(195, 200)]
        query = server.requests_to("search")[0].body["query"]
        assert query == {
            "operator": "AND",
            "value": [
                {"field": "updated_at", "operator": ">", "value": T0 + 99},
                {"field": "updated_at", "operator": "<", "value": T0 + 200},
            ],
        }
        # A fractional bound: updated_at >= T0+100.5 starts at T0+101.
        assert ids(make_source(server).fetch(at(100.5), at(103)))[:2] == ["101", "102"]


def test_more_conversations_than_the_maximum_fetches_no_extra_page(stub):
    fetched = make_source(stub, per_page=5).fetch(max_conversations=12)
    assert len(stub.requests_to("search")) == 3  # ceil(12 / 5): pages 1-3, never page 4
    assert len(stub.requests_to("detail")) == 12
    # The first 12 the search returns (the stub answers ascending updated_at, like a backfill wants).
    assert ids(fetched) == [str(100 + i) for i in range(12)]
    assert fetched.stats["returned"] == 12


def test_a_maximum_below_the_page_size_lowers_the_page_size(stub):
    fetched = make_source(stub).fetch(at(50), at(250), max_conversations=4)
    searches = stub.requests_to("search")
    assert len(searches) == 1 and searches[0].body["pagination"] == {"per_page": 4}
    assert ids(fetched) == ["105", "106", "107", "108"]


def test_a_conversation_returned_twice_across_pages_appears_once_in_its_latest_version(stub):
    def shift(page_number: int, server: IntercomStub) -> None:
        if page_number == 2:  # updated while we page: the keyset cursor shows it again on a later page
            server.update("102", updated_at=T0 + 285, title="edited while paging")

    stub.on_search_page = shift
    fetched = make_source(stub, per_page=5).fetch()
    assert ids(fetched).count("102") == 1 and len(fetched.conversations) == 30
    latest = next(c for c in fetched.conversations if c["id"] == "102")
    assert latest["updated_at"] == T0 + 285 and latest["title"] == "edited while paging"
    assert fetched.stats["duplicates_dropped"] == 1
    keys = [conversation_key(c) for c in fetched.conversations]
    assert keys == sorted(keys)


def test_with_a_maximum_a_newer_sighting_refetches_the_detail(stub):
    def shift(page_number: int, server: IntercomStub) -> None:
        if page_number == 2:
            server.update("102", updated_at=T0 + 285, title="edited while paging")

    stub.on_search_page = shift
    fetched = make_source(stub, per_page=5).fetch(max_conversations=29)
    assert ids(fetched).count("102") == 1
    assert next(c for c in fetched.conversations if c["id"] == "102")["title"] == "edited while paging"
    assert fetched.stats["refetched"] == 1
    assert [r.path for r in stub.requests_to("detail")].count("/conversations/102") == 2


def test_a_detail_updated_past_the_window_is_left_to_the_next_window(stub):
    def shift(page_number: int, server: IntercomStub) -> None:
        if page_number == 2:
            server.update("101", updated_at=T0 + 10_000)

    stub.on_search_page = shift
    fetched = make_source(stub, per_page=10).fetch(START, at(1000))
    assert "101" not in ids(fetched) and len(fetched.conversations) == 29
    assert fetched.stats["left_window"] == 1


def test_429_waits_for_retry_after_then_succeeds(stub):
    stub.fail("search", Fault(429, {"Retry-After": "1"}))
    stub.fail("detail:105", Fault(429, {"Retry-After": "0"}))
    sleep = RecordingSleep()
    fetched = make_source(stub, sleep=sleep).fetch()
    assert len(fetched.conversations) == 30 and fetched.errors == []
    assert sorted(sleep.calls) == [0.0, 1.0]
    assert fetched.stats["rate_limited"] == 2 and fetched.stats["retries"] == 2


def test_429_retry_after_is_really_waited(stub):
    stub.fail("search", Fault(429, {"Retry-After": "1"}))
    began = time.monotonic()
    fetched = make_source(stub).fetch(max_conversations=1)
    assert time.monotonic() - began >= 1.0
    searches = stub.requests_to("search")
    assert len(searches) == 2 and searches[1].received_at - searches[0].received_at >= 1.0
    assert ids(fetched) == ["100"]


def test_429_without_retry_after_waits_until_x_ratelimit_reset(stub):
    stub.fail("search", Fault(429, {"X-RateLimit-Reset": str(2_000_003), "X-RateLimit-Remaining": "0"}))
    sleep = RecordingSleep()
    make_source(stub, sleep=sleep, clock=lambda: 2_000_000.0).fetch(max_conversations=1)
    assert sleep.calls == [3.0]


def test_server_waits_are_capped_by_the_policy(stub):
    stub.fail("search", Fault(429, {"Retry-After": "3600"}))
    sleep = RecordingSleep()
    make_source(stub, sleep=sleep, retry=RetryPolicy(max_attempts=3, backoff_base=0, max_wait=2.5)).fetch(
        max_conversations=1
    )
    assert sleep.calls == [2.5]


def test_500_then_success_is_retried_with_backoff(stub):
    stub.fail("detail:103", Fault(500), Fault(503))
    sleep = RecordingSleep()
    fetched = make_source(stub, sleep=sleep, retry=RetryPolicy(max_attempts=4, backoff_base=0.2, backoff_cap=1)).fetch()
    assert "103" in ids(fetched) and fetched.errors == []
    assert [r.path for r in stub.requests_to("detail")].count("/conversations/103") == 3
    assert len(sleep.calls) == 2
    assert 0.1 <= sleep.calls[0] <= 0.2 and 0.2 <= sleep.calls[1] <= 0.4  # exponential, jittered ×0.5–1


def test_a_detail_that_keeps_failing_is_an_error_and_the_rest_goes_on(stub):
    stub.fail("detail:104", *[Fault(500)] * 4)
    stub.fail("detail:107", Fault(404))
    fetched = make_source(stub).fetch()
    assert len(fetched.conversations) == 28
    errors = {error.location: error.message for error in fetched.errors}
    assert set(errors) == {"GET /conversations/104", "GET /conversations/107"}
    assert "gave up after 4 attempts" in errors["GET /conversations/104"] and "HTTP 500" in errors["GET /conversations/104"]
    assert "HTTP 404" in errors["GET /conversations/107"] and "not_found" in errors["GET /conversations/107"]
    assert [r.path for r in stub.requests_to("detail")].count("/conversations/107") == 1  # 404 is not retried
    assert fetched.stats["detail_errors"] == 2


def test_a_search_page_that_keeps_failing_raises(stub):
    stub.fail("search", *[Fault(502)] * 4)
    with pytest.raises(SourceRequestError) as error:
        make_source(stub).fetch()
    assert "POST /conversations/search" in str(error.value) and "HTTP 502" in str(error.value)
    assert "page 1" in str(error.value)


def test_a_slow_response_times_out_and_is_retried(stub):
    stub.fail("detail:101", Fault(delay=1.5))
    began = time.monotonic()
    fetched = make_source(stub, timeout=0.3).fetch(max_conversations=3)
    assert ids(fetched) == ["100", "101", "102"] and fetched.errors == []
    assert [r.path for r in stub.requests_to("detail")].count("/conversations/101") == 2
    assert fetched.stats["retries"] == 1
    assert time.monotonic() - began < 1.4  # did not wait for the slow answer


def test_timeouts_that_never_end_become_an_error_naming_the_timeout(stub):
    stub.fail("detail:101", *[Fault(delay=0.6)] * 2)
    fetched = make_source(stub, timeout=0.2, retry=RetryPolicy(max_attempts=2, backoff_base=0)).fetch(
        max_conversations=2
    )
    assert ids(fetched) == ["100", "102"]
    assert fetched.errors[0].location == "GET /conversations/101"
    assert "timed out after 0.2 s" in fetched.errors[0].message


def test_401_names_the_setting_and_never_the_token(stub):
    secret = "dG9rOnNlY3JldC12YWx1ZS0xMjM0NTY3ODkw"
    source = make_source(stub, access_token=secret)
    with pytest.raises(SourceAuthError) as error:
        source.fetch()
    message = str(error.value)
    assert "INTERCOM_ACCESS_TOKEN" in message and "401" in message and "Access Token Invalid" in message
    assert secret not in message and secret not in repr(source) and secret not in json.dumps(source.describe())
    assert len(stub.requests_to("search")) == 1  # not retried


def test_403_on_a_detail_stops_the_fetch(stub):
    stub.fail("detail", Fault(403))
    with pytest.raises(SourceAuthError, match="HTTP 403"):
        make_source(stub, concurrency=2).fetch()


def test_an_error_body_that_echoes_the_token_is_scrubbed(stub):
    stub.fail("search", Fault(401, body={"type": "error.list", "errors": [{"code": "unauthorized", "message": f"bad {stub.token}"}]}))
    with pytest.raises(SourceAuthError) as error:
        make_source(stub).fetch()
    assert stub.token not in str(error.value) and "bad ***" in str(error.value)


def test_detail_requests_run_concurrently_within_the_bound():
    with IntercomStub(seeded(24), detail_delay=0.05) as server:
        fetched = make_source(server, concurrency=4).fetch()
        assert len(fetched.conversations) == 24
        assert server.max_concurrent_details == 4


def test_count_new_is_one_search_of_one_result(stub):
    source = make_source(stub)
    assert source.count_new(at(200)) == 9  # updated_at T0+210 … T0+290
    assert source.count_new(at(199.5)) == 10  # T0+200 is after 199.5
    assert source.count_new(None) == 30
    assert source.count_new(at(10_000)) == 0
    searches = stub.requests_to("search")
    assert len(searches) == 4 and stub.requests_to("detail") == []
    assert searches[0].body == {
        "query": {"field": "updated_at", "operator": ">", "value": T0 + 201},
        "pagination": {"per_page": 1},
    }


def test_configuration_from_the_environment(stub, monkeypatch):
    monkeypatch.setenv("INTERCOM_ACCESS_TOKEN", stub.token)
    monkeypatch.setenv("INTERCOM_BASE_URL", stub.base_url)
    source = build_source("intercom", intercom_version="2.12")
    assert source.describe()["base_url"] == stub.base_url
    assert len(source.fetch(max_conversations=2).conversations) == 2
    assert stub.requests[0].headers["intercom-version"] == "2.12"


def test_missing_token_and_bad_options_are_clear_errors(monkeypatch):
    monkeypatch.delenv("INTERCOM_ACCESS_TOKEN", raising=False)
    with pytest.raises(SourceConfigError, match="INTERCOM_ACCESS_TOKEN"):
        build_source("intercom")
    with pytest.raises(SourceConfigError, match="per_page must be an integer from 1 to 150"):
        IntercomSource(access_token="t", per_page=151)
    with pytest.raises(SourceConfigError, match="concurrency must be a positive integer"):
        IntercomSource(access_token="t", concurrency=0)
    with pytest.raises(SourceConfigError, match="max_attempts"):
        RetryPolicy(max_attempts=0)
    with pytest.raises(SourceConfigError, match="intercom source: .*page_size"):
        build_source("intercom", access_token="t", page_size=10)


def test_unreachable_server_is_retried_then_raises():
    with IntercomStub() as server:
        base_url = server.base_url
    source = IntercomSource(access_token="t", base_url=base_url, retry=RetryPolicy(max_attempts=2, backoff_base=0))
    with pytest.raises(SourceRequestError, match="connection failed"):
        source.fetch()


def test_malformed_search_results_are_reported_or_left_to_the_detail(stub):
    page = {
        "type": "conversation.list",
        "conversations": [{"type": "conversation", "updated_at": T0}, {"type": "conversation", "id": "104", "updated_at": "??"}],
        "total_count": 2,
        "pages": {"type": "pages", "page": 1, "per_page": 20, "total_pages": 1},
    }
    stub.fail("search", Fault(200, body=page))
    fetched = make_source(stub).fetch()
    assert ids(fetched) == ["104"]  # the detail's updated_at decided
    assert [(e.location, e.message) for e in fetched.errors] == [
        ("POST /conversations/search page 1", "result 1 has no usable id (None); it cannot be fetched")
    ]
