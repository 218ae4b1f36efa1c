"""Error answers for the whole site: branded pages for people, JSON for API callers.

- A request body over the limit is refused before anything reads it: 413.
- The database unreachable: 503 with "try again", never a stack of 500s.
- Under /api/ every error is JSON with `status_code`, even when Django (not DRF) answers.
- Pages for 400/403/404/500/503 share the site's layout, say in plain words what happened and
  offer a way back. 500 and 503 render without the request context: nothing on them may need
  the database that just failed.
"""

import logging
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger(__name__)
DATABASE_DOWN = (OperationalError, InterfaceError)

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Check the address or the form and try again."),
    403: (
        "Not allowed",
        "Your role does not give access to this page. Ask an enablement lead if you need it.",
    ),
    404: (
        "Page not found",
        "There is nothing at this address. It may have moved, or the link may be mistyped.",
    ),
    413: ("Too large", "What was sent is larger than this site accepts. Split it into smaller parts."),
    500: ("Something went wrong", "The error has been logged. Please try again in a moment."),
    503: (
        "Temporarily unavailable",
        "The database cannot be reached just now. Nothing was saved; please try again in a minute.",
    ),
}


def is_api(request):
    return request.path.startswith("/api/")


def error_response(request, status, detail=None, *, with_request=True):
    """JSON for API callers, else the branded page for `status`."""
    title, text = MESSAGES[status]
    if is_api(request):
        return JsonResponse({"detail": detail or text, "status_code": status}, status=status)
    template = loader.get_template("error.html")
    context = {"status": status, "title": title, "text": detail or text}
    try:
        body = template.render(context, request if with_request else None)
    except Exception:  # the layout itself failed (e.g. the database is down): plain text
        logger.exception("Error page could not be rendered")
        return HttpResponse(f"{title}. {text}", status=status, content_type="text/plain")
    return HttpResponse(body, status=status)


# ---------------------------------------------------------------- Django's handlers (urls.py)
def bad_request(request, exception=None):
    return error_response(request, 400)


def permission_denied(request, exception=None):
    reason = str(exception) if exception and str(exception) else None
    return error_response(request, 403, reason)


def page_not_found(request, exception=None):
    return error_response(request, 404)


def server_error(request):
    exc = sys.exc_info()[1]
    status = 503 if isinstance(exc, DATABASE_DOWN) else 500
    return error_response(request, status, with_request=False)


# ---------------------------------------------------------------- middleware
class RequestGuardMiddleware:
    """Refuse oversized bodies up front; turn a lost database into a 503 (JSON under /api/)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(request, 400, "Content-Length is not a number.", with_request=False)
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        limit = settings.MAX_UPLOAD_BYTES + 1024 * 1024 if multipart else settings.MAX_REQUEST_BODY_BYTES
        if length > limit:
            return error_response(
                request, 413, f"The request body is over {limit // (1024 * 1024)} MB.", with_request=False
            )
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            logger.error("Database unavailable: %s", exception)
            return error_response(request, 503, with_request=False)
        if isinstance(exception, RequestDataTooBig):
            return error_response(request, 413, with_request=False)
        return None
