"""HTML to PDF, one definition for every PDF Heltid makes (plans, board reports)."""

from __future__ import annotations


def render_pdf(html: str) -> bytes:
    """HTML to PDF with WeasyPrint: fonts from the system (fontconfig), styles inline, and a
    fetcher that allows no protocol at all, so nothing is ever fetched from anywhere."""
    import weasyprint  # heavy: imported on the first PDF, not by every process

    fetcher = weasyprint.URLFetcher(allowed_protocols=(), fail_on_errors=False)
    pdf: bytes = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pdf
