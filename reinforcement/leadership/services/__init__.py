"""Writes of leadership follow-through, split by subdomain."""
