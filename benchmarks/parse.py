"""Parser throughput against pydifact's tokenizer, measured in the same run on the same bytes.

    .venv/bin/python benchmarks/parse.py [--messages 8] [--rounds 5] [--seed 1]

Generates PAXLST passenger lists of 400 travellers and PNRGOV pushes of 150 PNRs, then times, for each kind:
pydifact tokenizing the bytes (the baseline: segments only, no records), our tokenizer alone, and our full parse
into records. Reports MB/s, travellers/s and the ratio to the baseline (best of --rounds; machines are noisy).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import warnings
from collections.abc import Callable

from pydifact.parser import Parser

from gtas.generator import flight_with, paxlst_writer, pnrgov_writer
from gtas.parsers import edifact, parse

PASSENGERS = 400
PNRS = 150


def corpus(messages: int, seed: int) -> dict[str, list[bytes]]:
    """``messages`` generated PAXLST lists and PNRGOV pushes, as the bytes an airline would send."""
    lists, pushes = [], []
    for i in range(messages):
        flight = flight_with(passengers=PASSENGERS, pnrs=PNRS, seed=seed + i)
        passenger_list = next(m for m in flight.api if m.list_type == "passenger")
        lists.extend(text.encode() for text in paxlst_writer.write(passenger_list))
        pushes.append(pnrgov_writer.write(flight.pnr).encode())
    return {"PAXLST": lists, "PNRGOV": pushes}


def best_of(rounds: int, work: Callable[[], object]) -> float:
    """Fastest wall-clock time of ``rounds`` runs (the least disturbed by the rest of the machine)."""
    times = []
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def pydifact_tokenize(texts: list[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydifact warns about its own missing directory data
        for text in texts:
            for _segment in Parser().parse(text):
                pass


def our_tokenize(blobs: list[bytes]) -> None:
    for blob in blobs:
        edifact.read(blob)


def our_parse(blobs: list[bytes]) -> int:
    travellers = 0
    for blob in blobs:
        for message in parse(blob).messages:
            travellers += len(message.travellers) + sum(len(p.travellers) for p in message.pnrs)
    return travellers


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--messages", type=int, default=8, help="messages of each kind (default 8)")
    options.add_argument("--rounds", type=int, default=5, help="timed rounds, best kept (default 5)")
    options.add_argument("--seed", type=int, default=1)
    args = options.parse_args()

    print(f"generating {args.messages} PAXLST lists of {PASSENGERS} travellers and {args.messages} PNRGOV pushes "
          f"of {PNRS} PNRs …", flush=True)
    ratios = []
    header = f"{'':8} {'MB':>6} {'baseline MB/s':>14} {'tokenizer MB/s':>15} {'records MB/s':>13} " \
             f"{'travellers/s':>13} {'records ÷ baseline':>19}"
    rows = []
    for kind, blobs in corpus(args.messages, args.seed).items():
        texts = [b.decode() for b in blobs]
        size = sum(len(b) for b in blobs) / 1e6
        travellers = our_parse(blobs)
        baseline = best_of(args.rounds, lambda texts=texts: pydifact_tokenize(texts))
        tokenizer = best_of(args.rounds, lambda blobs=blobs: our_tokenize(blobs))
        records = best_of(args.rounds, lambda blobs=blobs: our_parse(blobs))
        ratio = baseline / records
        ratios.append(ratio)
        rows.append(f"{kind:8} {size:6.2f} {size / baseline:14.2f} {size / tokenizer:15.1f} {size / records:13.1f} "
                    f"{travellers / records:13,.0f} {ratio:18.1f}×")
    print(header)
    print("\n".join(rows))
    print(f"goal: records at ≥ 10× the baseline; geometric mean {statistics.geometric_mean(ratios):.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
