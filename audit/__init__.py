"""Touchpoint Audit: the pure core (no Streamlit here; pages live in ``audit.ui``)."""

__version__ = "0.1.0"
