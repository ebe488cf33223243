"""A throw-away domain for the tests: one dataset of people (visitors by district) with its
publication block and download, its UI strings in both languages and a home card.

It is what a new analysis adds, and nothing more: the tests list it with
``analytics.domains.including("tests.toy_domain")`` and check that the Data page lists and
downloads it (suppressed), its strings are served and the home page draws its card.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.core.datasets import DatasetSpec
from analytics.core.domain import CardFigure, DataSource, Domain, HomeCard
from analytics.core.publication import Publication, PublicationBuilder
from analytics.core.schemas import DISTRICT_ID, Column, DatasetSchema

TOY = "toy_visitors"
PACKAGE = __name__


def toy_block(b: PublicationBuilder, data) -> None:
    toy = data[TOY]
    ids = tuple(toy["district_id"])
    cells = b.table(f"{TOY}/district", toy["visitors"].to_numpy(), [("district_id", ids)])
    total = b.table(f"{TOY}/city", np.array([toy["visitors"].sum()]), [("city", ("合計",))])
    b.sums(cells, total[0])


def toy_download(pub: Publication, total_label: str) -> pd.DataFrame:
    return pd.concat([pub.frame(f"{TOY}/district", "visitors"),
                      pub.frame(f"{TOY}/city", "visitors").rename(columns={"city": "district_id"})], ignore_index=True)


SPEC = DatasetSpec(
    schema=DatasetSchema(
        name=TOY, title_ja="来訪者（試験用）", title_en="Visitors (test)", description_ja="試験用のデータ",
        description_en="A throw-away dataset for the tests", key=("district_id",), person_counts=("visitors",),
        columns=(DISTRICT_ID, Column("visitors", "int", "来訪者数", "Visitors", "来訪者数", "Visitors", minimum=0)),
    ),
    file=f"{TOY}.parquet", generator="toy", holder_ja="試験課", holder_en="Test division",
    form_ja="地区別の来訪者数（秘匿処理済み）", form_en="Visitors by district (suppressed)",
    publication=toy_block, download=toy_download,
)

MESSAGES = {
    "home.theme.toy": {"ja": "来訪者（試験用）", "en": "Visitors (test)"},
    "home.theme.toy.q": {"ja": "どの地区に来訪者が多いか？", "en": "Which districts draw visitors?"},
    "toy.metric.city": {"ja": "来訪者（市全体）", "en": "Visitors (city)"},
    "toy.metric.first": {"ja": "来訪者（{district}）", "en": "Visitors ({district})"},
}


def card_figures(pub: Publication, data: DataSource) -> tuple[CardFigure, ...] | None:
    """The published city total and the first district's count (hidden when small)."""
    if not pub.has(f"{TOY}/city"):
        return None
    city = pub.frame(f"{TOY}/city", "visitors").iloc[0]
    first = pub.frame(f"{TOY}/district", "visitors").iloc[0]
    return (CardFigure("toy.metric.city", city["visitors"], "people", city["visitors_label"]),
            CardFigure("toy.metric.first", first["visitors"], "people", first["visitors_label"],
                       label_values={"district": first["district_id"]}))


DOMAIN = Domain("toy", (SPEC,), MESSAGES,
                home_card=HomeCard("home.theme.toy", "home.theme.toy.q", "pages/data.py", card_figures))
