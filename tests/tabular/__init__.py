"""Tests of the register import and the CSV/XLSX/JSON exports."""
