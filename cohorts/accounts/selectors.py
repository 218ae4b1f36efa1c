"""Reads about logins shared by the people list and the users page."""

from django.db.models import Case, Q, Value, When

from .models import AccountState


def with_account_state(people):
    """`people` annotated with `account_state` (an AccountState value), in the same query.

    deactivated: the person or their login is switched off; no login; active: has signed in;
    invited: an invitation is open (sent, not revoked, no password yet); otherwise never
    signed in. Filter with `.filter(account_state=...)`.
    """
    return people.annotate(
        account_state=Case(
            When(Q(is_active=False) | Q(user__is_active=False), then=Value(AccountState.DEACTIVATED)),
            When(user__isnull=True, then=Value(AccountState.NO_LOGIN)),
            When(user__last_login__isnull=False, then=Value(AccountState.ACTIVE)),
            When(
                account__invited_at__isnull=False,
                account__invitation_revoked_at__isnull=True,
                account__password_set_at__isnull=True,
                then=Value(AccountState.INVITED),
            ),
            default=Value(AccountState.NEVER_SIGNED_IN),
        )
    )
