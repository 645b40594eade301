"""Download a DMDC location workbook by name from DMDC's public file API (optional; never in builds or tests
against the real site).

HTTPS only (redirects included), a size limit, and the answer must be a zip archive: an HTML page (an
error or maintenance page served with status 200) or a server error stops with a clear message and
nothing is written. Plain HTTP is allowed only to 127.0.0.1/localhost and only when the caller says so
explicitly (the tests serve fixtures from a local server).
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request

from .dmdc_read import MAX_BYTES

DMDC_API = "https://dwp.dmdc.osd.mil/dwp/api"
GROUP_NAME = "milRegionCountry"  # the location report's group in DMDC's file listing
TIMEOUT_S = 60
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


class DownloadError(RuntimeError):
    """The workbook could not be downloaded; nothing was written."""


def file_name(period: str) -> str:
    """'2026-03' -> 'DMDC_Website_Location_Report_2603.xlsx'."""
    m = re.fullmatch(r"(20\d\d)-(0[1-9]|1[0-2])", period or "")
    if not m or int(m.group(1)) < 2008:
        raise DownloadError(f"period {period!r}: expected YYYY-MM, 2008-09 or later (e.g. 2026-03)")
    return f"DMDC_Website_Location_Report_{m.group(1)[2:]}{m.group(2)}.xlsx"


def url_for(name: str, base_url: str = DMDC_API) -> str:
    """DMDC's download-by-name address for a published file name."""
    query = urllib.parse.urlencode({"fileName": name, "groupName": GROUP_NAME})
    return f"{base_url.rstrip('/')}/download?{query}"


def check_url(url: str, allow_local_http: bool = False) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and allow_local_http and parts.hostname in LOCAL_HOSTS:
        return
    raise DownloadError(f"{url}: only https:// addresses are fetched")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, allow_local_http: bool):
        super().__init__()
        self.allow_local_http = allow_local_http

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_url(newurl, self.allow_local_http)  # a redirect may not leave HTTPS
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(period: str, base_url: str = DMDC_API, allow_local_http: bool = False,
          max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT_S) -> tuple[str, bytes]:
    """Download the workbook of one period: (published file name, bytes). Raises DownloadError."""
    name = file_name(period)
    url = url_for(name, base_url)
    check_url(url, allow_local_http)
    opener = urllib.request.build_opener(_CheckedRedirects(allow_local_http))
    request = urllib.request.Request(url, headers={"User-Agent": "japan-taiwan-evidence DMDC ingest"})
    try:
        with opener.open(request, timeout=timeout) as resp:
            ctype = resp.headers.get_content_type()
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise DownloadError(f"{url}: the file is {int(length):,} bytes, over the {max_bytes:,}-byte limit "
                                    "(DMDC's workbooks are about 50 KB); nothing was written")
            data = resp.read(max_bytes + 1)
    except urllib.error.HTTPError as e:
        raise DownloadError(f"{url}: the server answered HTTP {e.code} {e.reason}; nothing was written "
                            "(is the report for this period published yet?)") from None
    except urllib.error.URLError as e:
        raise DownloadError(f"{url}: could not connect ({e.reason}); nothing was written") from None
    except TimeoutError:
        raise DownloadError(f"{url}: no answer within {timeout:g} s; nothing was written") from None
    if len(data) > max_bytes:
        raise DownloadError(f"{url}: more than {max_bytes:,} bytes (DMDC's workbooks are about 50 KB); "
                            "nothing was written")
    head = data[:512].lstrip().lower()
    if ctype in ("text/html", "application/xhtml+xml") or head.startswith((b"<!doctype", b"<html", b"<?xml")):
        raise DownloadError(f"{url}: the server sent a web page ({ctype}), not a workbook (an error or "
                            "maintenance page, or the report is not published yet); nothing was written")
    if not data.startswith(b"PK\x03\x04"):
        raise DownloadError(f"{url}: expected an .xlsx workbook (a zip archive starting with 'PK'); "
                            f"found {data[:8]!r} ({ctype}); nothing was written")
    return name, data
