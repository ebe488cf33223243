"""The city's UI strings (residents, districts, age groups), in Japanese and English."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "age.single": {"ja": "{age}歳", "en": "Age {age}"},
    "indicator.population": {"ja": "人口", "en": "Population"},
    "indicator.ageing_rate": {"ja": "高齢化率", "en": "Ageing rate"},
    "indicator.change_pct": {"ja": "{years}年間の人口増減率", "en": "Population, {years}-year difference"},
    "age.age_0_14": {"ja": "0〜14歳", "en": "0–14"},
    "age.age_15_64": {"ja": "15〜64歳", "en": "15–64"},
    "age.age_65_plus": {"ja": "65歳以上", "en": "65+"},
    "area.core": {"ja": "中心市街地", "en": "Urban core"},
    "area.suburb": {"ja": "郊外住宅地", "en": "Suburb"},
    "area.industrial": {"ja": "臨海工業地", "en": "Coastal industry"},
    "area.mountain": {"ja": "中山間地", "en": "Mountain villages"},
    "area.island": {"ja": "島しょ部", "en": "Islands"},
}
