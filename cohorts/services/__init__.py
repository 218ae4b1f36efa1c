"""Writes of the cohorts app, split by subdomain; the common entry points are re-exported here."""

from .org import org_paths_rebuild

__all__ = ["org_paths_rebuild"]
