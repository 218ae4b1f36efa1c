"""The token in invitation links: Django's password-reset token, plus the account's link key.

Like a password-reset link it dies once a password is set (the password hash is part of the
token) or after the user signs in; revoking an invitation changes the account's `link_key`,
which kills every link sent before. It expires after INVITATION_LINK_MAX_AGE_DAYS.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "cohorts.accounts.tokens.InvitationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return super()._make_hash_value(user, timestamp) + link_key_of(user)

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        max_age = settings.INVITATION_LINK_MAX_AGE_DAYS * 24 * 3600
        if self._num_seconds(self._now()) - ts > max_age:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


def link_key_of(user):
    """The account's link key; callers making many tokens set `user._link_key` to save a query."""
    if not hasattr(user, "_link_key"):
        from .models import Account

        user._link_key = (
            Account.objects.filter(person__user=user).values_list("link_key", flat=True).first() or ""
        )
    return user._link_key


invitation_tokens = InvitationTokenGenerator()
