"""What every AppTest run of the suite shares."""

# Seconds one AppTest run may take before it fails. Generous on purpose: expensive things are built
# in session fixtures (tests/conftest.py) before any timed run, so only a hang, not a busy machine,
# can reach it.
APPTEST_TIMEOUT = 300


def _page_tabs(at) -> tuple[str, list[str]] | None:
    """The shown page's tabs: (their key, their labels), or None for a page without tabs."""
    from analytics import i18n
    from ui.nav import PAGES

    shown = [tab.label for tab in at.tabs]
    for spec in PAGES:
        for lang in i18n.LANGUAGES:
            labels = [i18n.t(k, lang) for k in spec.tabs]
            if spec.tabs and shown[:len(labels)] == labels:
                return spec.tab_key, labels
    return None


def open_tab(at, index: int):
    """Open the shown page's tab ``index`` as a click does (a page draws its open tab only) and run."""
    key, labels = _page_tabs(at)
    at.session_state[key] = labels[index]
    return at.run()


def each_tab(at):
    """Open each tab of the shown page in turn (once, for a page without tabs); yields its index."""
    tabs = _page_tabs(at)
    if tabs is None:
        yield 0
        return
    for i in range(len(tabs[1])):
        open_tab(at, i)
        yield i


def widget(at, kind: str, key: str):
    """The widget ``key`` of kind ``kind`` (``number_input`` …), opening the tab that holds it when
    the open one does not."""
    try:
        return getattr(at, kind)(key=key)
    except KeyError:
        pass
    for _ in each_tab(at):
        try:
            return getattr(at, kind)(key=key)
        except KeyError:
            continue
    raise KeyError(key)
