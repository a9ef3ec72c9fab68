"""Tests of the database layer, data model, migrations and reference data."""
