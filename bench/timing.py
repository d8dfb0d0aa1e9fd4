"""Shared by the bench scripts: time one page through Django's test client, with its query count."""

from __future__ import annotations

import statistics
import time


def measure(client, url: str, runs: int) -> tuple[float, int, int]:
    """(median ms over `runs` requests after a warm-up, SQL queries of one request, status)."""
    from django.db import connection

    client.get(url)  # warm: templates, the session, the access profile
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        status = client.get(url).status_code
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), len(queries), status


def median_ms(fn, runs: int) -> float:
    """The median wall time of `fn()` over `runs` calls, after one warm-up call."""
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)
