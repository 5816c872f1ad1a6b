"""Small helpers for the Streamlit app: translated strings, session state, safe rendering.

No business logic lives here: the pages call ``coach.services`` and only present results.
"""
