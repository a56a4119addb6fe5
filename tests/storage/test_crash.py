"""A process killed in the middle of a save leaves the previous version intact and the database sound."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[2]

# The child saves version 2 and is killed (SIGKILL: no cleanup at all) inside the save's transaction,
# after the version and audit rows are written but before COMMIT.
CHILD = """
import json, sys, time
from dsa.storage import Store

target = json.loads(sys.argv[1])

def hang(name, number):
    print("INSIDE", number, flush=True)
    time.sleep(120)

store = Store.open(target["url"], connect_args=target["connect_args"], _before_commit=hang)
doc = json.loads(sys.argv[2])
doc["flows"][0]["retention_months"] = 99
store.save("m", doc, author="doomed", summary="never committed")
print("COMMITTED", flush=True)
"""


def test_sigkill_mid_save_leaves_the_previous_version_loadable(db, minimal_doc):
    store = db.open()
    store.save("m", minimal_doc, author="alice", summary="good")
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, json.dumps({"url": db.url, "connect_args": db.connect_args}),
         json.dumps(minimal_doc)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        line = child.stdout.readline()
        assert line.strip() == "INSIDE 2", (line, child.stderr.read() if child.poll() is not None else "")
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()

    reopened = db.open()
    assert reopened.load("m") == minimal_doc
    assert [(v.number, v.author) for v in reopened.history("m")] == [(1, "alice")]
    assert [e.actor for e in reopened.audit_log("m")] == ["alice"]
    # The database is sound and still writable: the next save takes the number the dead one never got.
    if db.kind == "sqlite":
        with reopened.engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    assert reopened.save("m", minimal_doc, author="bob", base=1).number == 2
