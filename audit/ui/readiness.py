"""``/_audit/ready``: is this replica ready for new sessions (its database answers and is migrated to this version)?

The proxy's health check asks it every few seconds (``deploy/haproxy.cfg``);
Streamlit's own ``/_stcore/health`` says only that the process is up. The
check runs on this replica's own store (the pool its pages use), in a worker
thread, so the server's event loop never waits on the database. The proxy
refuses ``/_audit/`` from outside; the answer never holds a password.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from audit.ui import common


def problem() -> str | None:
    """``None`` when ready, otherwise what is wrong (one line)."""
    try:
        return common.store().readiness()
    except Exception as err:  # the store cannot even be opened (the database was down at start)
        return f"cannot open the database: {type(err).__name__}"


async def endpoint(_request: Request) -> JSONResponse:
    found = await run_in_threadpool(problem)
    if found is None:
        return JSONResponse({"ready": True})
    return JSONResponse({"ready": False, "problem": found}, status_code=503)
