"""Presentation helpers shared by the pages: session state, page furniture, charts, maps.

This package may import streamlit; numbers come from :mod:`analytics`.
"""
