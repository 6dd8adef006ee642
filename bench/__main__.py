"""Run the benchmarks: every one, or those named on the command line."""

from __future__ import annotations

import argparse
import importlib

BENCHMARKS = {
    "audit_pack": "time and peak memory of the audit pack streamed, of 50 and 500 MB of evidence",
    "document_register": "the master list and a document page of a 300-document register, beside a bare page",
    "evidence_download": "memory taken by streaming evidence files of 2, 20 and 100 MB",
    "main_pages": "the main pages of a generated portfolio of 200 clients at 2 and 16 connections, beside a "
    "bare page; single-request time at 20 and 200 clients (BENCH_QUICK=1: 20; BENCH_LARGE=1: 1,000 too)",
    "training_matrix": "the training matrix of 150 people x 40 requirements, beside a bare page",
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="; ".join(f"{name}: {what}" for name, what in BENCHMARKS.items()),
    )
    names = parser.parse_args().names or list(BENCHMARKS)
    if unknown := [name for name in names if name not in BENCHMARKS]:
        parser.error(f"no benchmark {', '.join(unknown)}: choose among {', '.join(BENCHMARKS)}")
    for name in names:
        print(f"== bench.{name}: {BENCHMARKS[name]}", flush=True)
        importlib.import_module(f"bench.{name}").main()
        print(flush=True)


if __name__ == "__main__":
    main()
