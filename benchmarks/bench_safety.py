"""Cost of the safety check on returned workbooks, beside its floor, measured in the same run.

    python benchmarks/bench_safety.py [--files 100] [--rows 200] [--folder DIR]

``check_package`` runs on every returned file of a merge, holding the GIL, before
python-calamine reads it. The floor is what opening the file costs anyway:
zipfile reading (inflating) every member. Also shown: the check's two halves
(inflating the members its own way, checking the XML parts) and what the exact
walk would cost on every part without the fast path, and how many parts the
fast path left to the walk (0 for files gxdesk, openpyxl or Excel wrote).

The files are built as bench_exchange.py builds them (exported by gxdesk, filled
in and re-saved with openpyxl), unless ``--folder`` names a folder of ``*.xlsx``.
Each figure is the best of a few passes over all files. Figures only: nothing
here asserts a timing.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import best  # noqa: E402

from gxdesk.exchange import safety  # noqa: E402


def build_files(work: Path, n_files: int, n_rows: int) -> list[Path]:
    """Returned workbooks as a merge meets them (see bench_exchange.bench_merge)."""
    import bench_exchange as bx

    from gxdesk.ops.exchange import export_units
    from gxdesk.store.database import open_database

    db = open_database(bx.build_database(work, n_files, n_rows))
    out = work / "returned"
    out.mkdir()
    files = [f.path for f in export_units(db, out, on=bx.ON)]
    db.close()
    for i, f in enumerate(files):
        bx.fill_in(f, i)
    return files


def measure(files: list[Path]) -> None:
    datas = [f.read_bytes() for f in files]
    limits = safety.DEFAULT_LIMITS
    parts = [list(safety.check_package(d).parts.values()) for d in datas]
    infos = []
    for d in datas:
        with zipfile.ZipFile(io.BytesIO(d)) as zf:
            infos.append(zf.infolist())

    def floor() -> None:
        for d in datas:
            with zipfile.ZipFile(io.BytesIO(d)) as zf:
                for info in zf.infolist():
                    zf.read(info)

    def ours() -> None:
        for d in datas:
            safety.check_package(d)

    def inflate() -> None:
        for d, members in zip(datas, infos, strict=True):
            for info in members:
                safety._xml_part(d, info)

    def sheets() -> None:
        for xmls in parts:
            cells = 0
            for xml in xmls:
                cells += safety.check_sheet_xml(xml, limits, cells_before=cells, count=False)

    def walk_all() -> None:
        for xmls in parts:
            for xml in xmls:
                safety._walk_sheet(xml, limits, 0)

    walked = 0
    real_walk = safety._walk_sheet

    def counting_walk(xml: bytes, lim: safety.Limits, before: int) -> int:
        nonlocal walked
        walked += 1
        return real_walk(xml, lim, before)

    safety._walk_sheet = counting_walk
    try:
        sheets()
    finally:
        safety._walk_sheet = real_walk

    n = len(datas)
    per_file = {
        "floor: zipfile reads every member": best(floor, 5) / n,
        "check_package": best(ours, 5) / n,
        "  its members inflated (and prologs)": best(inflate, 5) / n,
        "  its XML parts checked": best(sheets, 5) / n,
        "the walk on every part, for reference": best(walk_all, 5) / n,
    }
    size = sum(len(x) for xmls in parts for x in xmls) / n
    print(
        f"{n} files, {size / 1024:.0f} KB of XML each; parts walked: {walked} of {sum(map(len, parts))}"
    )
    for name, seconds in per_file.items():
        print(f"{name:40s} {seconds * 1e3:7.3f} ms/file")
    ratio = per_file["check_package"] / per_file["floor: zipfile reads every member"]
    print(f"check_package / floor: {ratio:.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--folder", type=Path, help="use these *.xlsx instead of building files")
    args = parser.parse_args()
    if args.folder:
        files = sorted(args.folder.glob("*.xlsx"))
        if not files:
            sys.exit(f"no .xlsx in {args.folder}")
        measure(files)
        return
    work = Path(tempfile.mkdtemp(prefix="gxdesk-bench-safety-"))
    try:
        measure(build_files(work, args.files, args.rows))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
