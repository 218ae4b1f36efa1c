from rest_framework.authtoken.models import Token


def api_token_regenerate(*, user):
    """Replace the user's API token; the old one stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)
