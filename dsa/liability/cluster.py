"""Chunks of simulated years on an existing Dask distributed cluster (product.md, "Beyond one machine").

A national model under many scenarios, a solver frontier or a sensitivity sweep
is many assessments of independent chunks of years. ``executor(address)`` gives
an object that ``assess(..., executor=...)`` runs the chunks on instead of local
threads. Every chunk's seed comes from the one SeedSequence of the run and the
summaries are merged in chunk order on the caller's side, so where a chunk ran
never changes a figure: the result equals a local run bit for bit.

``distributed`` is imported only here, and only when a cluster is asked for.
"""

from __future__ import annotations

import os
from collections import deque
from typing import Any, Callable

from ..errors import DsaError

ENV = "DSA_DASK_SCHEDULER"


class ClusterError(DsaError):
    """The Dask cluster could not be reached or failed to run a chunk."""


def scheduler_address(option: str | None = None) -> str | None:
    """The ``--cluster`` address if given, else ``DSA_DASK_SCHEDULER``, else None (local threads)."""
    address = option or os.environ.get(ENV) or None
    return address.strip() if address else None


def _run_one(job: Any, k: int) -> Any:
    return job.run_chunk(k)


class DaskExecutor:
    """Runs chunks on a ``distributed.Client``; at most ``window`` chunks' results are in flight."""

    def __init__(self, client, *, window: int | None = None, own_client: bool = False):
        self.client = client
        self.own_client = own_client
        threads = sum(client.nthreads().values()) or 1
        self.window = window or 2 * threads

    def run(self, n_chunks: int, job: Any, merge: Callable[[int, Any], None],
            progress: Callable[[float], None] | None = None) -> None:
        """``job.run_chunk(k)`` on the workers for every chunk; ``merge(k, result)`` here, in chunk order.

        ``job`` must pickle (``assessment.AssessJob`` carries the model as its document); it is sent to the
        workers once.
        """
        if not hasattr(job, "run_chunk"):
            raise ClusterError("this computation cannot run on a cluster (it holds incidents in memory)")
        try:
            [remote] = self.client.scatter([job], broadcast=True, hash=False)
            pending: deque = deque()
            submitted = 0
            for k in range(n_chunks):
                while submitted < n_chunks and len(pending) < self.window:
                    pending.append(self.client.submit(_run_one, remote, submitted, pure=False))
                    submitted += 1
                future = pending.popleft()
                result = future.result()
                future.release()
                merge(k, result)
                if progress is not None:
                    progress((k + 1) / n_chunks)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"the Dask cluster failed while assessing: {exc}") from exc

    def close(self) -> None:
        if self.own_client:
            self.client.close()

    def __enter__(self) -> "DaskExecutor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def executor(address_or_client, *, timeout: float = 10.0) -> DaskExecutor:
    """A ``DaskExecutor`` on the scheduler at ``address`` (``tcp://HOST:8786``), or on a ``Client``/cluster."""
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - pinned in requirements.txt
        raise ClusterError("running on a cluster needs the 'distributed' package") from exc
    if isinstance(address_or_client, Client):
        return DaskExecutor(address_or_client)
    try:
        client = Client(address_or_client, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address_or_client}: {exc}") from exc
    return DaskExecutor(client, own_client=True)
