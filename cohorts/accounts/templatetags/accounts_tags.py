from django import template

from ..models import AccountState

register = template.Library()

BADGES = {
    AccountState.ACTIVE: "text-bg-success",
    AccountState.INVITED: "text-bg-info",
    AccountState.NEVER_SIGNED_IN: "text-bg-warning",
    AccountState.DEACTIVATED: "text-bg-secondary",
    AccountState.NO_LOGIN: "text-bg-light border",
}


@register.inclusion_tag("accounts/_state_badge.html")
def account_state_badge(state):
    """A badge for an `account_state` annotation (see accounts.selectors.with_account_state)."""
    state = AccountState(state)
    return {"label": state.label, "css": BADGES[state], "state": state.value}
