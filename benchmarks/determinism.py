"""Byte-identical exports: the same corpus, several runs, every backend, other hash seeds.

Run from the repository root::

    python benchmarks/determinism.py            # the seeds + a 1 MB hostile document
    python benchmarks/determinism.py --mb 3

The corpus is the seed articles, one generated document of ``--mb`` megabytes (news-like
text with hostile paragraphs, from ``big_document.py``) and three articles quoting it, plus
a document of characters XML forbids.  Each run builds the provenance graph in a fresh
process with its own ``PYTHONHASHSEED`` and writes GraphML and node-link JSON; the runs
are: in-process twice (hash seeds 1 and 2), forked workers (``workers=2``), and a Dask
``LocalCluster`` of two worker processes.  It prints the SHA-256 of every file and
whether all runs agree.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

_RUN = """
import sys
import quoteprov as qp
folder, out, backend = sys.argv[1], sys.argv[2], sys.argv[3]
corpus = qp.Corpus.from_directory(folder)
if backend == "dask":
    import distributed
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        graph = qp.build_graph(corpus, client=client, progress=False)
else:
    graph = qp.build_graph(corpus, workers=int(backend), progress=False)
qp.write_graphml(graph, out + ".graphml")
qp.write_json(qp.graph_to_dict(graph), out + ".json")
"""

RUNS = [("local, hash seed 1", "1", "1"), ("local, hash seed 2", "1", "2")]
RUNS += [("forked workers=2", "2", "3"), ("dask LocalCluster(2)", "dask", "4")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=1.0)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    import big_document

    print("# determinism.py: GraphML and JSON bytes across runs and backends")
    print(f"# command: python benchmarks/{Path(__file__).name} {' '.join(sys.argv[1:])}")
    print(f"# machine: {platform.system()} {platform.release()}, {os.cpu_count()} CPUs")
    digests: dict[str, tuple[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "corpus")
        folder.mkdir()
        for source in sorted((ROOT / "quoteprov" / "seeds").iterdir()):
            shutil.copy(source, folder / source.name)
        big_document.prepare(args.mb, folder, seed=0)
        (folder / "xml.txt").write_text(
            '"Control \x01 and \x0b and \x1f characters," she said. \ufffe \uffff "Again \x08," '
            "she said.",
            encoding="utf-8",
        )
        for name, backend, seed in RUNS:
            out = Path(tmp, f"run{seed}")
            env = {**os.environ, "PYTHONHASHSEED": seed, "QUOTEPROV_SEMANTIC": "0"}
            subprocess.run(
                [sys.executable, "-c", _RUN, str(folder), str(out), backend], env=env, check=True
            )
            graphml = out.with_suffix(".graphml").read_bytes()
            data = out.with_suffix(".json").read_bytes()
            digests[name] = (hashlib.sha256(graphml).hexdigest(), hashlib.sha256(data).hexdigest())
            print(
                f"{name:<22} GraphML {len(graphml):>10,} B sha256 {digests[name][0][:16]}  "
                f"JSON {len(data):>10,} B sha256 {digests[name][1][:16]}",
                flush=True,
            )
    same = len(set(digests.values())) == 1
    print(f"# {'all runs byte-identical' if same else 'RUNS DIFFER'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
