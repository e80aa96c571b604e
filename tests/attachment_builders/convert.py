"""LibreOffice headless conversions, and a PDF's layout re-expressed as an OFD package."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


# ------------------------------------------------------------------ LibreOffice
def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def lo_convert_many(files: dict[str, bytes], target: str, timeout: float = 300) -> dict[str, bytes]:
    """Convert several files in one LibreOffice run (private profile): {name.ext: bytes} → {name: bytes}."""
    exe = soffice()
    if not exe:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="attach_build_") as tmp:
        srcs = []
        for name, data in files.items():
            Path(tmp, name).write_bytes(data)
            srcs.append(str(Path(tmp, name)))
        out_dir = Path(tmp, "out")
        profile = Path(tmp, "profile").as_uri()
        subprocess.run([exe, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                        "--convert-to", target, "--outdir", str(out_dir), *srcs],
                       check=True, timeout=timeout, capture_output=True, env=dict(os.environ, HOME=tmp))
        ext = target.split(":")[0]
        return {n.rsplit(".", 1)[0]: (out_dir / (n.rsplit(".", 1)[0] + "." + ext)).read_bytes() for n in files}


def lo_convert(data: bytes, src_ext: str, target: str, timeout: float = 180) -> bytes:
    return lo_convert_many({f"in.{src_ext}": data}, target, timeout)["in"]


def docx_to_pdf(data: bytes) -> bytes:
    return lo_convert(data, "docx", "pdf")


def docx_to_doc(data: bytes) -> bytes:
    return lo_convert(data, "docx", "doc:MS Word 97")



# ------------------------------------------------------------------ OFD
_OFD_NS = "http://www.ofdspec.org/2016"
_MM = 25.4 / 72


def _deltax(xs: list[float]) -> str:
    """DeltaX with the "g n d" shorthand for runs of equal advances, as OFD writers emit it."""
    ds = [round((b - a) * _MM, 3) for a, b in zip(xs, xs[1:])]
    out, i = [], 0
    while i < len(ds):
        j = i
        while j < len(ds) and ds[j] == ds[i]:
            j += 1
        out.append(f"g {j - i} {ds[i]}" if j - i > 2 else " ".join(str(d) for d in ds[i:j]))
        i = j
    return " ".join(out)


def pdf_to_ofd(pdf: bytes) -> bytes:
    """Re-express a PDF's layout as an OFD package: one TextObject per run of glyphs on a line
    (TextCode with DeltaX), one PathObject per ruling line. Units: millimetres."""
    import pdfplumber
    import zipfile
    from xml.sax.saxutils import escape
    pages_xml = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        w, h = doc.pages[0].width * _MM, doc.pages[0].height * _MM
        for page in doc.pages:
            objs, oid = [], 1
            runs: list[list[dict]] = []
            for ch in sorted(page.chars, key=lambda c: (round(c["top"], 1), c["x0"])):
                if runs and abs(runs[-1][-1]["top"] - ch["top"]) < 0.5 and 0 <= ch["x0"] - runs[-1][-1]["x1"] < 2 \
                        and runs[-1][-1]["size"] == ch["size"]:
                    runs[-1].append(ch)
                else:
                    runs.append([ch])
            for run in runs:
                size = run[0]["size"] * _MM
                x0, top = run[0]["x0"] * _MM, run[0]["top"] * _MM
                x1 = run[-1]["x1"] * _MM
                text = escape("".join(c["text"] for c in run))
                objs.append(f'<ofd:TextObject ID="{oid}" Boundary="{x0:.3f} {top:.3f} {x1 - x0 + 1:.3f} {size * 1.2:.3f}" '
                            f'Font="1" Size="{size:.3f}"><ofd:TextCode X="0" Y="{size * 0.88:.3f}" '
                            f'DeltaX="{_deltax([c["x0"] for c in run])}">{text}</ofd:TextCode></ofd:TextObject>')
                oid += 1
            for e in page.edges:
                ex0, etop = e["x0"] * _MM, e["top"] * _MM
                ew, eh = (e["x1"] - e["x0"]) * _MM, (e["bottom"] - e["top"]) * _MM
                objs.append(f'<ofd:PathObject ID="{oid}" Boundary="{ex0:.3f} {etop:.3f} {ew + 0.2:.3f} {eh + 0.2:.3f}" '
                            f'LineWidth="0.2"><ofd:AbbreviatedData>M 0 0 L {ew:.3f} {eh:.3f}</ofd:AbbreviatedData></ofd:PathObject>')
                oid += 1
            pages_xml.append(f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{_OFD_NS}"><ofd:Content>'
                             f'<ofd:Layer ID="0">{"".join(objs)}</ofd:Layer></ofd:Content></ofd:Page>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{_OFD_NS}" Version="1.0" '
                   f'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>test</ofd:DocID></ofd:DocInfo>'
                   f'<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        plist = "".join(f'<ofd:Page ID="{i + 100}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages_xml)))
        z.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{_OFD_NS}">'
                   f'<ofd:CommonData><ofd:MaxUnitID>9999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {w:.1f} {h:.1f}'
                   f'</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages>{plist}</ofd:Pages></ofd:Document>')
        for i, xml in enumerate(pages_xml):
            z.writestr(f"Doc_0/Pages/Page_{i}/Content.xml", xml)
    return buf.getvalue()


