"""``python -m analytics.synth [--scale S] [--seed N] [--out DIR]``: write the synthetic city."""

from __future__ import annotations

import argparse
from pathlib import Path

from analytics.synth import DEFAULT_SEED, SAMPLE_DATA_DIR, generate_city, write_sample_data


def main() -> None:
    parser = argparse.ArgumentParser(description="Generate the synthetic city (合成市).")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out", type=Path, default=SAMPLE_DATA_DIR)
    args = parser.parse_args()
    city = generate_city(args.seed, args.scale)
    for path in write_sample_data(city, args.out):
        print(f"{path}  {path.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
