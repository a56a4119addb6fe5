"""Fixtures for shared mode and the pages it changes: AppTests reuse tests/ui's throwaway store."""

from tests.ui.conftest import app, downloads  # noqa: F401 - fixtures
