"""What every AppTest run of the suite shares."""

# Seconds one AppTest run may take before it fails. Generous on purpose: expensive things are built
# in session fixtures (tests/conftest.py) before any timed run, so only a hang, not a busy machine,
# can reach it.
APPTEST_TIMEOUT = 300
