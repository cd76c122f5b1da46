"""Write transactions wait for the write lock instead of failing with "database is locked"."""

import threading

from fieldkit.db import connect


def test_a_transaction_that_reads_first_waits_for_another_writer(tmp_path):
    path = str(tmp_path / "t.sqlite3")
    first = connect(path, busy_timeout_ms=10_000)
    first["t"].insert({"n": 0})
    second = connect(path, busy_timeout_ms=10_000)
    holding = threading.Event()
    release = threading.Event()

    def hold_the_lock():
        with first.atomic():
            first["t"].insert({"n": 1})
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert holding.wait(10)
    # The lock is released a moment after the second writer starts waiting for it.
    threading.Timer(0.3, release.set).start()
    # Deferred, this read takes a snapshot and the insert then fails at once: "database is locked".
    with second.atomic():
        count = second["t"].count
        second["t"].insert({"n": count + 1})
    holder.join(10)
    # The second transaction began after the first committed, so it counted both rows.
    assert sorted(row["n"] for row in second["t"].rows) == [0, 1, 3]
