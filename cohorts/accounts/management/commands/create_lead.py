"""`manage.py create_lead --email you@example.com`: the first enablement lead of a new install."""

import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cohorts.accounts.services import lead_create


class Command(BaseCommand):
    help = (
        "Create (or promote) an enablement lead who signs in with their e-mail address. Asks for a "
        "password; with --no-input prints a one-time link to choose it in the browser instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--no-input", action="store_true", help="Print a set-password link; ask nothing.")

    def handle(self, *args, email, first_name, last_name, no_input, **options):
        password = None
        if not no_input:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
            try:
                validate_password(password)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
        try:
            user, link = lead_create(
                email=email, first_name=first_name, last_name=last_name, password=password
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"{user.username} is an enablement lead."))
        if link:
            self.stdout.write(f"Open this link to choose the password (it works once):\n{link}")
