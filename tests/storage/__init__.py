"""Tests of the store: migrations, versions, concurrency, crash safety, sign-offs, audit, CLI."""
