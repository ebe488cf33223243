"""Data: the catalog of datasets, their contracts, and safe downloads of each aggregate table."""

import streamlit as st

from analytics.downloads import csv_bytes
from analytics.geo import to_web
from analytics.registry import download_tables, spec
from analytics.schemas import describe_schema, problems_frame
from ui.format import percent
from ui.furniture import guard, page_header
from ui.session import catalog, lang, publication, t, threshold
from ui.tables import show_table

PREVIEW_ROWS = 20


@st.cache_data(show_spinner=False, max_entries=8)
def _downloads(fingerprint: str, limit: int, total: str, _catalog) -> dict:
    """Every dataset's download from the one publication (cached on the data's fingerprint)."""
    return download_tables(_catalog.data(), publication(), total)


@st.cache_data(show_spinner=False, max_entries=8)
def _geojson(fingerprint: str, name: str, _catalog) -> str:
    return to_web(_catalog.get(name)).to_json()


UPLOAD_TYPES = ["csv", "tsv", "txt", "xlsx", "geojson", "json"]


def _upload(cat, name: str, L: str) -> None:
    """Per dataset: stage a planner's file, show what is wrong with it, use it only when nothing is.
    The file stays in this session's memory only."""
    up = st.file_uploader(t("data.upload.label"), type=UPLOAD_TYPES, key=f"up_{name}", help=t("data.upload.help"))
    staged = st.session_state.setdefault("staged_problems", {})
    if up is not None:
        key = (name, up.file_id)
        if key not in staged:  # check each file once, not on every rerun
            staged[key] = cat.load_file(name, up.getvalue(), up.name, apply=False)
        problems = staged[key]
        errors = [p for p in problems if p.severity == "error"]
        if problems:
            table = problems_frame(problems, L).astype("string")  # shown as text: a name never renders as HTML
            st.dataframe(table, hide_index=True, width="stretch")
            st.download_button(t("data.upload.problems"), csv_bytes(table), file_name=f"{name}_problems.csv",
                               mime="text/csv", key=f"dl_problems_{name}", on_click="ignore",
                               icon=":material/download:")
        if errors:
            st.error(t("data.upload.refused", file=up.name, n=len(errors)))
        else:
            st.success(t("data.upload.ready", file=up.name))
            if st.button(t("data.upload.use"), key=f"use_{name}", type="primary"):
                cat.load_file(name, up.getvalue(), up.name)
                st.rerun()
    if cat.source(name).kind == "upload" and st.button(t("data.upload.reset"), key=f"reset_{name}"):
        cat.reset(name)
        st.rerun()


page_header("data.title", "data.lead")
with guard():
    cat, L = catalog(), lang()
    overview = []
    for name in cat.names():
        sch = cat.schema(name)
        src = cat.source(name)
        overview.append({
            t("data.col.name"): name,
            t("data.col.title"): sch.title_ja if L == "ja" else sch.title_en,
            t("data.rows"): f"{cat.n_rows(name):,}",
            t("data.columns"): len(sch.columns),
            t("data.source"): t(f"source.kind.{src.kind}", label=src.label),
        })
    st.subheader(t("data.overview"))
    st.dataframe(overview, hide_index=True, width="stretch")

    downloads = _downloads(cat.fingerprint(), threshold(), t("table.total"), cat)
    pub = publication()
    for name in cat.names():
        entry = spec(name)
        sch = entry.schema
        with st.expander(f"**{sch.title_ja if L == 'ja' else sch.title_en}** — `{name}`",
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
            st.markdown(f"**{t('data.upload.title')}**")
            _upload(cat, name, L)
