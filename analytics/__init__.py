"""ebpm-dashboard analytics: the pure, typed core of the dashboard.

Every number a page shows is computed here. This package never imports streamlit
(``tests/test_architecture.py`` enforces it), so each function can be used and tested
from plain Python.
"""
