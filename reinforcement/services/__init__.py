"""Writes of the reinforcement app, split by subdomain."""
