"""The app for deployments: ``streamlit run audit_server.py`` serves ``audit_app.py`` plus ``/_audit/ready``.

Every session runs ``audit_app.py`` exactly as ``streamlit run audit_app.py``
does; the one addition is the readiness route the proxy's health check uses
(:mod:`audit.ui.readiness`): 200 when this replica's database answers and is
migrated to this version, 503 otherwise. ``deploy/entrypoint.sh app`` starts this.
"""

from __future__ import annotations

import streamlit as st
from starlette.routing import Route

from audit.ui import readiness

app = st.App("audit_app.py", routes=[Route("/_audit/ready", readiness.endpoint, methods=["GET", "HEAD"])])
