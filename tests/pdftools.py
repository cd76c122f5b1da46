"""Poppler and zbar, as the checks use them: pages, sizes, fonts, text, QR codes."""

import re
import subprocess


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdf_pages(path):
    """Page count and each page's size in points, from pdfinfo."""
    info = run("pdfinfo", "-f", "1", "-l", "9999", str(path))
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])
    sizes = [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    return count, sizes


def pdf_fonts(path):
    """(name, embedded) per font listed by pdffonts."""
    lines = run("pdffonts", str(path)).splitlines()[2:]
    return [(line.split()[0], line.split()[-5] == "yes") for line in lines if line.strip()]


def pdf_text(path, page=None):
    args = ["pdftotext", "-layout"]
    if page:
        args += ["-f", str(page), "-l", str(page)]
    return run(*args, str(path), "-")


def qr_codes_per_page(path, tmp_path, dpi=110):
    """The QR payloads zbarimg decodes on each page of a render at `dpi`."""
    prefix = tmp_path / "page"
    run("pdftoppm", "-r", str(dpi), "-png", str(path), str(prefix))
    pages = sorted(tmp_path.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
    found = []
    for png in pages:
        result = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True)
        found.append(sorted(line for line in result.stdout.splitlines() if line.strip()))
    return found
