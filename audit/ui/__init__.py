"""The Streamlit app: thin pages that gather input and call the core (``audit.services``).

Only this package (and ``audit_app.py``) imports Streamlit. Modules here that
hold no page code (``text``, ``walk``, ``nav``) stay free of it, so they are
tested as plain functions.
"""
