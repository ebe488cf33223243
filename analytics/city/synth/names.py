"""Fictional district names (小学校区) for the synthetic city, by kind of area.

The names are invented so that nobody mistakes the synthetic city for a real one;
each pool suits its area (castle-town names in the centre, hill names in the suburbs,
shore names on the coast, valley names in the mountains).
"""

from __future__ import annotations

NAME_POOLS: dict[str, list[tuple[str, str]]] = {
    "core": [
        ("城南", "Jonan"), ("城北", "Johoku"), ("城東", "Joto"), ("城西", "Josei"),
        ("駅前", "Ekimae"), ("本町", "Honmachi"), ("大手", "Ote"), ("白鷺", "Shirasagi"),
        ("中央", "Chuo"), ("元町", "Motomachi"), ("北条", "Hojo"), ("錦", "Nishiki"),
        ("船場", "Semba"), ("竹田", "Takeda"), ("東雲", "Shinonome"), ("若宮", "Wakamiya"),
    ],
    "suburb": [
        ("青葉台", "Aobadai"), ("桜ケ丘", "Sakuragaoka"), ("緑ケ丘", "Midorigaoka"),
        ("若葉", "Wakaba"), ("朝日", "Asahi"), ("希望ケ丘", "Kibogaoka"), ("花園", "Hanazono"),
        ("光が丘", "Hikarigaoka"), ("泉", "Izumi"), ("松原", "Matsubara"), ("高岡台", "Takaokadai"),
        ("東光", "Toko"), ("西光", "Saiko"), ("平野", "Hirano"), ("野田", "Noda"),
        ("柳原", "Yanagihara"), ("日吉", "Hiyoshi"), ("梅が丘", "Umegaoka"), ("藤ケ丘", "Fujigaoka"),
        ("つつじ野", "Tsutsujino"), ("星が丘", "Hoshigaoka"), ("美園", "Misono"), ("小松原", "Komatsubara"),
        ("新田", "Shinden"), ("宮前", "Miyamae"), ("南台", "Minamidai"), ("北野", "Kitano"),
        ("若松", "Wakamatsu"), ("千代田", "Chiyoda"), ("桃山", "Momoyama"),
    ],
    "industrial": [
        ("臨港", "Rinko"), ("浜手", "Hamate"), ("港南", "Konan"), ("汐見", "Shiomi"),
        ("潮見", "Shiomi-higashi"), ("白浜", "Shirahama"), ("松浜", "Matsuhama"), ("磯辺", "Isobe"),
        ("浦風", "Urakaze"), ("波止", "Hato"),
    ],
    "mountain": [
        ("山之内", "Yamanouchi"), ("奥谷", "Okutani"), ("峰山", "Mineyama"), ("清流", "Seiryu"),
        ("杉原", "Sugihara"), ("滝野", "Takino"), ("鹿ケ谷", "Shishigatani"), ("岩屋", "Iwaya"),
        ("奥畑", "Okuhata"), ("上野原", "Uenohara"), ("栗原", "Kurihara"), ("水上", "Minakami"),
    ],
    "island": [("沖ノ島", "Okinoshima"), ("小島", "Kojima"), ("鴎島", "Kamomejima")],
}

_ORDINALS = [("", ""), ("第二", " 2"), ("第三", " 3"), ("第四", " 4"), ("第五", " 5"),
             ("第六", " 6"), ("第七", " 7"), ("第八", " 8"), ("第九", " 9"), ("第十", " 10")]


def district_names(area_types: list[str]) -> list[tuple[str, str]]:
    """Japanese and English names for districts of the given kinds, all distinct.

    When a pool runs out (large ``scale``), names repeat with 第二/第三… ("… 2").
    """
    used: dict[str, int] = {}
    out: list[tuple[str, str]] = []
    for kind in area_types:
        pool = NAME_POOLS[kind]
        i = used.get(kind, 0)
        used[kind] = i + 1
        ja, en = pool[i % len(pool)]
        pre_ja, suf_en = _ORDINALS[min(i // len(pool), len(_ORDINALS) - 1)]
        lap = i // len(pool)
        if lap >= len(_ORDINALS):  # beyond 第十: plain numbers keep names unique
            pre_ja, suf_en = f"第{lap + 1}", f" {lap + 1}"
        out.append((f"{pre_ja}{ja}", f"{en}{suf_en}"))
    return out
