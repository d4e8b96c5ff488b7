"""PDF text with page numbers.

pypdf is used rather than pdfminer.six: it is pure Python with no further dependencies,
its text extraction keeps reading order well on the simple one-column layouts campaign
platforms use, and it reports broken files as exceptions we can turn into one clear error.
"""

from __future__ import annotations

import io
import logging

from ..errors import InputError

__all__ = ["pdf_pages", "is_pdf", "MAX_PDF_PAGES"]

MAX_PDF_PAGES = 300


def is_pdf(body: bytes) -> bool:
    return body[:1024].lstrip().startswith(b"%PDF-")


def pdf_pages(body: bytes, name: str = "document") -> list[tuple[int, str]]:
    """Return ``[(page_number, text), ...]`` for a PDF, numbering pages from 1."""
    if not is_pdf(body):
        raise InputError(f"{name}: not a PDF (it does not start with %PDF-)")
    import pypdf

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(body))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:
                raise InputError(f"{name}: the PDF is encrypted; save an unencrypted copy") from None
        pages = []
        for number, page in enumerate(reader.pages[:MAX_PDF_PAGES], start=1):
            pages.append((number, page.extract_text() or ""))
    except InputError:
        raise
    except Exception as exc:  # pypdf raises many kinds on broken files
        raise InputError(f"{name}: the PDF cannot be read ({type(exc).__name__}: {exc})") from None
    return pages
