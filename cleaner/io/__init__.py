"""Readers of scraped dumps and writers of clean records."""
