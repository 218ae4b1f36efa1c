"""REST API plumbing shared by every app: JSON errors, the API root and the caller's identity.

Each app keeps its own endpoints in `<app>/api.py`; `rolloutplanner/api_urls.py` routes them.
"""

import logging

from django.core.exceptions import RequestDataTooBig
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from .errors import DATABASE_DOWN
from .roles import role_of

logger = logging.getLogger(__name__)


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is larger than this API accepts; send smaller batches."
    default_code = "too_large"


class DatabaseUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The database cannot be reached just now; nothing was saved. Try again shortly."
    default_code = "database_unavailable"


def json_exception_handler(exc, context):
    """DRF's handler, plus JSON 413/503/500 for the errors DRF leaves alone, always with `status_code`."""
    if isinstance(exc, DATABASE_DOWN):
        logger.error("Database unavailable: %s", exc)
        exc = DatabaseUnavailable()
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    response = exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled API error", exc_info=exc)
        response = Response(
            {"detail": "Internal server error."}, status=status.HTTP_500_INTERNAL_SERVER_ERROR
        )
    if isinstance(response.data, dict):
        response.data.setdefault("status_code", response.status_code)
    else:
        response.data = {"detail": response.data, "status_code": response.status_code}
    return response


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField(allow_null=True)


class APIRootView(APIView):
    """Who is calling, with which role. Token auth: `Authorization: Token <key>`."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        role = role_of(request.user)
        return Response(
            {"username": request.user.username, "role": role.value if role else None},
        )


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([AllowAny])
def api_not_found(request, *args, **kwargs):
    """Unknown API paths answer in JSON, not with the HTML 404 page or a login redirect."""
    raise NotFound(f"No API endpoint at {request.path}.")
