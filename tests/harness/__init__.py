"""Test harness (placeholder)."""
