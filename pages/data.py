"""Data: the catalog of datasets, their contracts, and safe downloads of each aggregate table."""

import pandas as pd
import streamlit as st

from analytics.catalog import StagedFiles
from analytics.core.downloads import csv_bytes
from analytics.core.geo import to_web
from analytics.core.schemas import affected_lines, describe_schema, problems_frame
from analytics.registry import download_tables, spec
from analytics.templates import Template, template_for_data
from ui.format import percent
from ui.furniture import guard, page_header
from ui.panels import panel, trace_run
from ui.session import catalog, lang, publication, t, threshold, upload_limit_mb
from ui.tables import show_table

PREVIEW_ROWS = 20


@st.cache_data(show_spinner=False, max_entries=8)
def _downloads(fingerprint: str, limit: int, total: str, _catalog) -> dict:
    """Every dataset's download from the one publication (cached on the data's fingerprint)."""
    return download_tables(_catalog.data(), publication(), total)


@st.cache_data(show_spinner=False, max_entries=8)
def _geojson(fingerprint: str, name: str, _catalog) -> str:
    return to_web(_catalog.get(name)).to_json()


@st.cache_data(show_spinner=False, max_entries=32)
def _template(fingerprint: str, name: str, _catalog) -> Template:
    return template_for_data(name, _catalog.get)


def _template_download(cat, name: str) -> None:
    """The template of the dataset: Excel (CSV beyond Excel's rows, GeoJSON for boundaries)."""
    tpl = _template(cat.fingerprint(), name, cat)
    st.download_button(t(f"data.template.{tpl.kind}"), tpl.data, file_name=tpl.file_name, mime=tpl.mime,
                       key=f"tpl_{name}", on_click="ignore", icon=":material/description:")


UPLOAD_TYPES = ["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "geojson", "json", "gpkg"]  # .xls: to say why not
STAGED_KEY = "staged_check"
USED_KEY = "upload_used"


def _title(cat, name: str, L: str) -> str:
    return cat.schema(name).title(L)


def _check(cat, staged: dict, limit_mb: int) -> StagedFiles:
    """Each staged set of files is checked once (not on every rerun), with a progress bar; the
    checked tables are kept for "use" (the files are not read again)."""
    # checked again when the files or the data in use change
    key = (cat.fingerprint(), *sorted((name, up.file_id) for name, up in staged.items()))
    held = st.session_state.get(STAGED_KEY)
    if held is not None and held[0] == key:
        return held[1]
    size = sum(up.size for up in staged.values())
    bar = st.progress(0.0, text=t("data.upload.checking", mb=f"{size / 1024**2:,.1f}"))

    def progress(done: float, name: str, step: str) -> None:
        title = _title(cat, name, lang()) if name else ""
        bar.progress(min(done, 1.0), text=t(f"data.upload.step.{step}", title=title))

    checked = cat.check_files({n: (up.getvalue(), up.name) for n, up in staged.items()},
                               max_bytes=limit_mb * 1024**2, progress=progress)
    bar.empty()
    st.session_state[STAGED_KEY] = (key, checked)
    return checked


@panel("data.upload")
def _upload_section(cat, L: str) -> None:
    """Stage one or several files (datasets that refer to each other are checked together), show
    what is wrong with each, use them all at once only when nothing is. Files stay in this
    session's memory only. A panel: choosing and checking files reruns this section only; using
    them reruns the whole page (the data in use changed)."""
    with guard():  # a fragment rerun runs outside the page's guard
        _upload_body(cat, L)


def _upload_body(cat, L: str) -> None:
    st.subheader(t("data.upload.title"))
    limit_mb = upload_limit_mb()
    st.caption(t("data.upload.lead", limit=limit_mb))
    used = st.session_state.pop(USED_KEY, None)
    if used:
        st.success(t("data.upload.used", names="、".join(used)))
    chosen = st.multiselect(t("data.upload.choose"), cat.names(), format_func=lambda n: f"{_title(cat, n, L)}（{n}）",
                            key="upload_choice", placeholder=t("data.upload.choose_placeholder"))
    staged = {}
    for name in chosen:
        up = st.file_uploader(t("data.upload.label", title=_title(cat, name, L)), type=UPLOAD_TYPES,
                              key=f"up_{name}", help=t("data.upload.help", limit=limit_mb))
        if up is not None:
            staged[name] = up
    if not staged:
        return
    checked = _check(cat, staged, limit_mb)
    problems = checked.problems
    summary = []
    for name, up in staged.items():
        found = problems.get(name, [])
        n_err = sum(p.severity == "error" for p in found)
        summary.append({t("data.col.title"): _title(cat, name, L), t("data.upload.file"): up.name,
                        t("problem.error"): n_err, t("problem.warning"): len(found) - n_err,
                        t("data.upload.status"): t("data.upload.status.refused" if n_err else "data.upload.status.ok")})
    st.dataframe(pd.DataFrame(summary).astype("string"), hide_index=True, width="stretch")
    for name, up in staged.items():
        found = problems.get(name, [])
        if not found:
            continue
        st.markdown(f"**{_title(cat, name, L)}** — {t('data.upload.file')}: `{up.name}`")
        table = problems_frame(found, L, up.name).astype("string")  # as text: a name never renders as HTML
        st.dataframe(table, hide_index=True, width="stretch")
        st.download_button(t("data.upload.problems"), csv_bytes(table), file_name=f"{name}_problems.csv",
                           mime="text/csv", key=f"dl_problems_{name}", on_click="ignore",
                           icon=":material/download:")
        if any(len(p.affected) for p in found):  # every line concerned, built only when asked for
            st.caption(t("data.upload.lines.note"))
            st.download_button(t("data.upload.lines"), lambda found=found, file=up.name: csv_bytes(
                affected_lines(found, L, file)), file_name=f"{name}_lines.csv", mime="text/csv",
                key=f"dl_lines_{name}", on_click="ignore", icon=":material/format_list_numbered:")
    refused = [n for n in staged if any(p.severity == "error" for p in problems.get(n, []))]
    if refused:
        n_errors = sum(p.severity == "error" for n in refused for p in problems[n])
        st.error(t("data.upload.refused", file="、".join(staged[n].name for n in refused), n=n_errors))
        return
    st.success(t("data.upload.ready", file="、".join(up.name for up in staged.values())))
    if st.button(t("data.upload.use", n=len(staged)), key="use_staged", type="primary"):
        if cat.use(checked):
            # the staging area starts empty again; the next run says what is now in use
            for key in (STAGED_KEY, "upload_choice", *(f"up_{n}" for n in staged)):
                st.session_state.pop(key, None)
            st.session_state[USED_KEY] = [_title(cat, n, L) for n in staged]
            st.rerun()


page_header("data.title", "data.lead")
trace_run("data")
with guard():
    cat, L = catalog(), lang()
    overview = []
    for name in cat.names():
        sch = cat.schema(name)
        src = cat.source(name)
        # rows of data about people say how many fine cells hold someone: only for the planner's own files
        about_people = sch.person_level or bool(sch.person_counts)
        overview.append({
            t("data.col.name"): name,
            t("data.col.title"): sch.title(L),
            t("data.rows"): "—" if about_people and src.kind != "upload" else f"{cat.n_rows(name):,}",
            t("data.columns"): len(sch.columns),
            t("data.source"): t(f"source.kind.{src.kind}", label=src.label),
        })
    st.subheader(t("data.overview"))
    st.dataframe(overview, hide_index=True, width="stretch")
    st.caption(t("data.rows.people_note"))
    also = st.session_state.pop("reset_also", None)
    if also:
        st.info(t("data.upload.reset_also", names="、".join(_title(cat, n, L) for n in also)))
    _upload_section(cat, L)

    downloads = _downloads(cat.fingerprint(), threshold(), t("table.total"), cat)
    pub = publication()
    for name in cat.names():
        entry = spec(name)
        sch = entry.schema
        with st.expander(f"**{sch.title(L)}** — `{name}`",
                         expanded=name == "population"):
            st.markdown(sch.description_ja if L == "ja" else sch.description_en)
            st.caption(f"{t('data.key')}: {', '.join(sch.key)} ／ {t('data.holder')}: {entry.holder(L)}")
            st.markdown(f"**{t('data.schema')}**")
            st.dataframe(describe_schema(sch, L), hide_index=True, width="stretch")
            table = downloads[name]
            st.markdown(t("data.download_form", form=entry.form(L)))
            st.caption(t("data.preview", n=PREVIEW_ROWS))
            show_table(table.head(PREVIEW_ROWS))
            loss = pub.loss_summary(name)
            if loss is not None:
                st.caption(t("data.loss", cells=f"{loss['cells']:,}", hidden=f"{loss['hidden_cells']:,}",
                             share=percent(loss["hidden_share"]), persons=percent(loss["hidden_persons_share"], 2)))
            st.download_button(t("data.download"), csv_bytes(table), file_name=f"{name}.csv", mime="text/csv",
                               icon=":material/download:", key=f"dl_{name}", on_click="ignore")
            if entry.has_geometry:
                st.download_button(t("data.download_geojson"), _geojson(cat.fingerprint(name), name, cat),
                                   file_name=f"{name}.geojson", mime="application/geo+json", icon=":material/map:",
                                   key=f"dl_geo_{name}", on_click="ignore")
            _template_download(cat, name)
            if cat.source(name).kind == "upload" and st.button(t("data.upload.reset"), key=f"reset_{name}"):
                also = [n for n in cat.reset(name) if n != name]
                if also:
                    st.session_state["reset_also"] = also
                st.rerun()
